package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The servlet filter where containers differ (error pages, headers set before it ran), on a real Jetty and a real
 * Tomcat: a stored response is the one the client got on the miss, or it is not stored.
 */
class ServletFilterOnContainersTest {

    private static Container.Running start(Container container) {
        return container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "64KB")
                .filter("per-request", new PerRequestHeadersFilter(), "/*")
                .filter("cache", new ResponseCacheFilter(), "/edge/*", "ttl", "60", "statuses", "200,404")
                .servlet("edge", new EdgeServlet(), "/edge/*"));
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletThatClosesItsWriterGetsItsWholeBodyAndIsStored(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/edge/closes-writer");
            HttpResponse<String> hit = app.get("/edge/closes-writer");
            assertEquals("closed writer call 1", miss.body());
            assertEquals("HIT", xCache(hit));
            assertEquals("closed writer call 1", hit.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletThatClosesItsStreamGetsItsWholeBodyAndIsStored(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/edge/closes-stream");
            HttpResponse<String> hit = app.get("/edge/closes-stream");
            assertEquals("closed stream call 1", miss.body());
            assertEquals("HIT", xCache(hit));
            assertEquals("closed stream call 1", hit.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void sendErrorPageIsNeverStoredSoEveryClientGetsTheContainersOwnPage(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> first = app.get("/edge/send-error");
            HttpResponse<String> second = app.get("/edge/send-error");
            assertEquals(404, first.statusCode());
            assertEquals(404, second.statusCode());
            assertEquals("2", second.headers().firstValue("X-Call").orElse("none"), "the servlet ran again");
            assertTrue(second.body().contains("no page 2"), second.body());
            assertEquals(first.headers().allValues("Cache-Control"), second.headers().allValues("Cache-Control"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void statusWithoutBodyIsReplayedWithTheBodyAndHeadersTheMissHad(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/edge/status-only");
            HttpResponse<String> hit = app.get("/edge/status-only");
            assertEquals("HIT", xCache(hit), "a status set without sendError is the application's response");
            assertEquals(miss.statusCode(), hit.statusCode());
            assertEquals(miss.body(), hit.body());
            assertEquals(miss.headers().allValues("Content-Type"), hit.headers().allValues("Content-Type"));
            assertEquals(miss.headers().allValues("Cache-Control"), hit.headers().allValues("Cache-Control"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headersSetInFrontOfTheCacheKeepThisRequestsValuesOnAHit(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/edge/shared", "X-Request-Id", "first",
                    "Origin", "https://a.example");
            HttpResponse<String> hit = app.get("/edge/shared", "X-Request-Id", "second",
                    "Origin", "https://b.example");
            assertEquals("MISS", xCache(miss));
            assertEquals("HIT", xCache(hit));
            assertEquals(miss.body(), hit.body());
            assertEquals(List.of("second"), hit.headers().allValues("X-Request-Id"));
            assertEquals(List.of("https://b.example"), hit.headers().allValues("Access-Control-Allow-Origin"));
            assertEquals(miss.headers().allValues("Vary"), hit.headers().allValues("Vary"));

            HttpResponse<String> noId = app.get("/edge/shared");
            assertEquals("HIT", xCache(noId));
            assertTrue(noId.headers().allValues("X-Request-Id").isEmpty(), "nothing of another request's id");
            assertTrue(noId.headers().allValues("Access-Control-Allow-Origin").isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void varyTheApplicationAddsToOneSetInFrontComposesOnAHit(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/edge/vary-added", "Origin", "https://a.example",
                    "Accept-Language", "en");
            HttpResponse<String> hit = app.get("/edge/vary-added", "Origin", "https://b.example",
                    "Accept-Language", "en");
            assertEquals("HIT", xCache(hit));
            assertEquals(miss.headers().allValues("Vary"), hit.headers().allValues("Vary"));
            assertEquals(List.of("https://b.example"), hit.headers().allValues("Access-Control-Allow-Origin"));
            HttpResponse<String> german = app.get("/edge/vary-added", "Origin", "https://b.example",
                    "Accept-Language", "de");
            assertEquals("MISS", xCache(german), "the application's own Vary still keys the entry");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headerTheApplicationSetsOverOneSetInFrontReplacesItOnAHitInsteadOfDoubling(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/edge/own-cors");
            HttpResponse<String> hit = app.get("/edge/own-cors", "Origin", "https://b.example");
            assertEquals("HIT", xCache(hit));
            assertEquals(miss.body(), hit.body());
            // Uncached, the application's setHeader would have replaced the filter's value just the same.
            assertEquals(List.of("*"), hit.headers().allValues("Access-Control-Allow-Origin"));
            // The filter's own Vary for this request, then Accept, which keys a servlet's entry (downstream Vary).
            assertEquals(List.of("Origin, Accept"), hit.headers().allValues("Vary"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headerSetInFrontAndReplacedByTheApplicationIsNotStored(Container container) {
        try (Container.Running app = start(container)) {
            app.get("/edge/request-id-replaced", "X-Request-Id", "first");
            HttpResponse<String> second = app.get("/edge/request-id-replaced", "X-Request-Id", "second");
            assertEquals("MISS", xCache(second), "a hit could not tell which value the application chose");
            assertEquals(List.of("chosen by the servlet"), second.headers().allValues("X-Request-Id"));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void cacheStatusSaysWhyAResponseIsNotStored(Container container) {
        Map<String, String> reasons = Map.of(
                "/edge/cookie", "set-cookie",
                "/edge/no-store", "no-store",
                "/edge/private", "private",
                "/edge/server-error", "status",
                "/edge/vary-star", "vary-star",
                "/edge/too-large", "too-large");
        try (Container.Running app = start(container)) {
            for (Map.Entry<String, String> expected : reasons.entrySet()) {
                HttpResponse<String> response = app.get(expected.getKey());
                assertEquals("ResponseCache; fwd=uri-miss; detail=" + expected.getValue(), cacheStatus(response),
                        expected.getKey());
                assertEquals("MISS", xCache(app.get(expected.getKey())), expected.getKey());
            }
            HttpResponse<String> stored = app.get("/edge/stored");
            assertEquals("ResponseCache; fwd=uri-miss", cacheStatus(stored));
            assertEquals("HIT", xCache(app.get("/edge/stored")));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void ifNoneMatchStarOnAStored404IsAnsweredWithThe404(Container container) {
        try (Container.Running app = start(container)) {
            HttpResponse<String> miss = app.get("/edge/not-found-with-body");
            HttpResponse<String> hit = app.get("/edge/not-found-with-body", "If-None-Match", "*");
            assertEquals("HIT", xCache(hit));
            assertEquals(404, hit.statusCode());
            assertEquals(miss.body(), hit.body());
            assertFalse(hit.headers().firstValue("ETag").isPresent(), "no tag the miss did not carry");
        }
    }
}
