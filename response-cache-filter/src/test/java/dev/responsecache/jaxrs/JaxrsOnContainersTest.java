package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.servlet.PerRequestHeadersFilter;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import java.net.http.HttpResponse;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JAX-RS feature where servlet containers differ, on a real Jetty and a real Tomcat: an error Jersey hands to the
 * container's error page is never stored, so no client gets a page other than the container's.
 */
class JaxrsOnContainersTest {

    private final ErrorPageResource resource = new ErrorPageResource();

    private Container.Running start(Container container) {
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class);
        return container.start(new ServletApp()
                .filter("per-request", new PerRequestHeadersFilter(), "/*")
                .servlet("jersey", new ServletContainer(app), "/api/*"));
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void webApplicationExceptionWithoutEntityIsNeverStoredSoEveryClientGetsTheErrorPage(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> first = app.get("/api/missing");
            HttpResponse<String> second = app.get("/api/missing");
            assertEquals(404, first.statusCode());
            assertEquals(404, second.statusCode());
            assertEquals(2, resource.calls.get(), "the method ran again: nothing was stored");
            assertEquals(first.body(), second.body());
            assertEquals(first.headers().allValues("Cache-Control"), second.headers().allValues("Cache-Control"));
            assertEquals("MISS", xCache(second));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void errorWithAnEntityIsStoredWithTheBodyTheMissHad(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/api/gone");
            HttpResponse<String> hit = app.get("/api/gone");
            assertEquals("HIT", xCache(hit));
            assertEquals(404, hit.statusCode());
            assertEquals("gone call 1", hit.body());
            assertEquals(miss.body(), hit.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headersAServletFilterSetsInFrontOfJerseyKeepThisRequestsValuesOnAHit(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/api/page", "X-Request-Id", "first", "Origin", "https://a.example");
            HttpResponse<String> hit = app.get("/api/page", "X-Request-Id", "second", "Origin", "https://b.example");
            assertEquals("HIT", xCache(hit));
            assertEquals(miss.body(), hit.body());
            assertEquals(List.of("second"), hit.headers().allValues("X-Request-Id"));
            assertEquals(List.of("https://b.example"), hit.headers().allValues("Access-Control-Allow-Origin"));
        }
    }
}
