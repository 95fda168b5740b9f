package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A revalidating 304 of a resource method applies to the stored response only when its validators are the stored
 * ones (RFC 9111 4.3.4). The revalidation sends the origin's {@code ETag} alone, so a method that evaluates dates
 * alone answers a change within the same second whole. A method that still answers 304 for another representation
 * has run and cannot be asked again in the same request: the stale entry answers once as what it is, stale (a 504
 * where the stored response forbids stale use), and is evicted, so that the next request runs the method without
 * conditions.
 */
class JaxrsRevalidationValidatorsTest {

    private final MutableClock clock = new MutableClock();
    private final DateValidatedResource resource = new DateValidatedResource();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.CLOCK, clock)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void storeThenChange(String path) {
        assertEquals("dated 1", server.getText(path).body());
        clock.advance(Duration.ofSeconds(61));
        resource.version.set(2);
    }

    private HttpResponse<String> assertAnsweredWhole(String path, String xCache) {
        HttpResponse<String> answer = server.getText(path);
        assertEquals(200, answer.statusCode());
        assertEquals("dated 2", answer.body());
        assertEquals("\"v2\"", answer.headers().firstValue("ETag").orElseThrow());
        assertEquals(xCache, answer.headers().firstValue("X-Cache").orElseThrow());
        return answer;
    }

    @Test
    void dateOnlyMethodIsAskedWithTheEtagAloneAndAnswersAChangeInTheSameSecondWhole() {
        storeThenChange("/api/dated");
        assertAnsweredWhole("/api/dated", "MISS");
        assertNull(resource.lastIfModifiedSince.get(), "never the date beside the tag");
        assertAnsweredWhole("/api/dated", "HIT");
        assertEquals(2, resource.calls.get());
    }

    @Test
    void notModifiedWithAnotherEtagNeverFreshensTheOldBody() {
        storeThenChange("/api/dated/public");

        HttpResponse<String> answer = server.getText("/api/dated/public");
        assertEquals(200, answer.statusCode());
        assertEquals("dated 1", answer.body());
        assertEquals("\"v1\"", answer.headers().firstValue("ETag").orElseThrow(),
                "the stored body keeps its own tag, never the 304's");
        assertEquals("STALE", answer.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=304; ttl=-1; detail=validator-mismatch",
                answer.headers().firstValue("Cache-Status").orElseThrow());

        assertAnsweredWhole("/api/dated/public", "MISS");
        assertAnsweredWhole("/api/dated/public", "HIT");
        assertEquals(3, resource.calls.get());
    }

    @Test
    void validatorMismatchOfAResponseThatForbidsStaleUseIsA504NotTheStaleBody() {
        storeThenChange("/api/dated/must-revalidate");

        HttpResponse<String> answer = server.getText("/api/dated/must-revalidate");
        assertEquals(504, answer.statusCode(), "RFC 9111 4.2.4: never served stale");
        assertEquals("", answer.body());
        assertEquals("ResponseCache; fwd=stale; fwd-status=304; detail=validator-mismatch",
                answer.headers().firstValue("Cache-Status").orElseThrow());

        assertAnsweredWhole("/api/dated/must-revalidate", "MISS");
        assertEquals(3, resource.calls.get());
    }
}
