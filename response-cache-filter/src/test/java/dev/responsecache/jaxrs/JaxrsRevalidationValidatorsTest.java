package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A revalidating 304 of a resource method applies to the stored response only when its validators are the stored
 * ones (RFC 9111 4.3.4). The method has run and cannot be asked again in the same request: the stale entry answers
 * once as what it is, stale, and is evicted, so that the next request runs the method without conditions.
 */
class JaxrsRevalidationValidatorsTest {

    private final MutableClock clock = new MutableClock();
    private final DateValidatedResource resource = new DateValidatedResource();

    @Test
    void notModifiedWithAnotherEtagNeverFreshensTheOldBody() {
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.CLOCK, clock)).start()) {
            assertEquals("dated 1", server.getText("/api/dated").body());
            clock.advance(Duration.ofSeconds(61));
            resource.version.set(2);

            HttpResponse<String> answer = server.getText("/api/dated");
            assertEquals(200, answer.statusCode());
            assertEquals("dated 1", answer.body());
            assertEquals("\"v1\"", answer.headers().firstValue("ETag").orElseThrow(),
                    "the stored body keeps its own tag, never the 304's");
            assertEquals("STALE", answer.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("ResponseCache; fwd=stale; fwd-status=304; ttl=-1; detail=validator-mismatch",
                    answer.headers().firstValue("Cache-Status").orElseThrow());

            HttpResponse<String> next = server.getText("/api/dated");
            assertEquals("dated 2", next.body());
            assertEquals("\"v2\"", next.headers().firstValue("ETag").orElseThrow());
            assertEquals("MISS", next.headers().firstValue("X-Cache").orElseThrow());
            HttpResponse<String> hit = server.getText("/api/dated");
            assertEquals("dated 2", hit.body());
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(3, resource.calls.get());
        }
    }
}
