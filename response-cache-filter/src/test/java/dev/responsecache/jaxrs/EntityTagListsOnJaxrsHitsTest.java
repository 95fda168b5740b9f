package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JAX-RS hit's {@code If-None-Match}, read as RFC 9110 8.8.3 lists entity tags: a comma or a {@code *} inside the
 * quotes is part of one tag, {@code *} is the wildcard only as the whole value, and a value that does not parse
 * is left to the application (which may answer it its own way: Jersey's {@code evaluatePreconditions} with a 400). The servlet filter's siblings: {@code EntityTagHoldingACommaIs...} and
 * {@code EntityTagHoldingAStarBetweenCommasIsNotAWildcardTest}.
 */
class EntityTagListsOnJaxrsHitsTest {

    private static final String TAG = "\"v1,en\"";

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(TaggedResource.class)
                .register(ResponseCacheFeature.class)).start();
        HttpResponse<String> miss = server.getText("/api/tagged");
        assertEquals(200, miss.statusCode());
        assertEquals(TAG, miss.headers().firstValue("ETag").orElse(null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void hitAnswersIfNoneMatchNamingTheStoredCommaTagWith304() {
        assertNotModified(server.getText("/api/tagged", "If-None-Match", TAG));
    }

    @Test
    void hitAnswersAListNamingTheStoredCommaTagWith304() {
        assertNotModified(server.getText("/api/tagged", "If-None-Match", "\"v0\", W/" + TAG));
    }

    @Test
    void hitAnswersATagHoldingAStarBetweenCommasWithTheWholeBody() {
        assertWhole(server.getText("/api/tagged", "If-None-Match", "\"fr,*,gz\""));
    }

    @Test
    void aStarInsideAListIsLeftToTheApplication() {
        // "*" is the wildcard only as the whole field value: this list is malformed.
        assertLeftToTheApplication(server.getText("/api/tagged", "If-None-Match", "\"v0\", *"));
    }

    @Test
    void aMalformedListHoldingTheStoredTagIsLeftToTheApplication() {
        assertLeftToTheApplication(server.getText("/api/tagged", "If-None-Match", TAG + ", v2"));
    }

    @Test
    void hitAnswersTheWildcardWith304() {
        assertNotModified(server.getText("/api/tagged", "If-None-Match", " * "));
    }

    private static void assertNotModified(HttpResponse<String> response) {
        assertEquals(304, response.statusCode(), "X-Cache: " + response.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("HIT", response.headers().firstValue("X-Cache").orElse(null));
    }

    private static void assertWhole(HttpResponse<String> response) {
        assertEquals(200, response.statusCode());
        assertEquals("HIT", response.headers().firstValue("X-Cache").orElse(null));
        assertEquals("tagged page", response.body());
    }

    private static void assertLeftToTheApplication(HttpResponse<String> response) {
        assertEquals(200, response.statusCode());
        String cacheStatus = response.headers().firstValue("Cache-Status").orElse("none");
        assertTrue(cacheStatus.contains("fwd=bypass; detail=precondition"), cacheStatus);
        assertEquals("tagged page", response.body());
    }

    @Path("tagged")
    public static final class TaggedResource {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response get() {
            return Response.ok("tagged page").header("ETag", TAG).build();
        }
    }
}
