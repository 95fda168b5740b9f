package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/**
 * Settings from environment variables, as a container image sets them. Runs in a test JVM of its own, started with
 * {@code RESPONSECACHE_STATUS_HEADER=X-Env-Cache} (see this module's pom), since a JVM cannot change its environment.
 */
class EnvironmentConfigurationTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(Container.Deployed app, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(app.base().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void environmentVariableConfiguresFeatureAndFilterAndOverridesTheApplication() throws Exception {
        assertEquals("X-Env-Cache", System.getenv("RESPONSECACHE_STATUS_HEADER"), "started without the variable");
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(PropertiesApplication.class)
                .cacheFilter("reports", "/reports/*", "ttl", "60")
                .contextParam(ResponseCacheProperties.STATUS_HEADER, "X-Context-Cache"), JaxrsRuntime.jersey())) {
            // PropertiesApplication and the context-param name other headers: the environment wins over both.
            get(app, "/api/items/1");
            assertEquals("HIT", get(app, "/api/items/1").headers().firstValue("X-Env-Cache").orElse("none"));
            get(app, "/reports/a");
            assertEquals("HIT", get(app, "/reports/a").headers().firstValue("X-Env-Cache").orElse("none"));
        }
    }
}
