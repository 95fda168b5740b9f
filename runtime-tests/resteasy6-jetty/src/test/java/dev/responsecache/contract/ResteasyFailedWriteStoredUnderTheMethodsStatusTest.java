package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * RESTEasy looks for the entity's message body writer before the writer interceptors run; when it finds none it
 * answers 500 with its own message, written through the interceptors as a response of its own. The cache captured
 * that message as the body of the method's 200, so the first request got the 500 and every hit a 200 saying
 * "Could not find MessageBodyWriter". The entity written is not the one the method returned: nothing is stored.
 */
class ResteasyFailedWriteStoredUnderTheMethodsStatusTest {

    @Path("/")
    public static class Unwritable {
        @GET
        @Path("unwritable")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public Thing thing() {
            return new Thing();
        }
    }

    /** No writer of the application or of RESTEasy writes it as JSON. */
    public static final class Thing {
    }

    public static class UnwritableApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, Unwritable.class);
        }
    }

    @Test
    void aResponseRestEasyCouldNotWriteIsAnsweredAsTheRuntimeAnswersIt() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(UnwritableApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(app.base().resolve("/api/unwritable"))
                    .timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(500, first.statusCode(), first.body());
            HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(500, second.statusCode(),
                    second.body() + " X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));
        }
    }
}
