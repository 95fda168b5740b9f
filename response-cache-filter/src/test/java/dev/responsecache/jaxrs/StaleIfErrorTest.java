package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stale-if-error on Jersey: within the window a failing method is answered with the stale entry, past it not. */
class StaleIfErrorTest {

    private final MutableClock clock = new MutableClock();
    private final FlakyResource resource = new FlakyResource();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> storeThenExpire(String path) {
        HttpResponse<String> miss = server.getText(path);
        assertEquals(200, miss.statusCode());
        clock.advance(Duration.ofSeconds(61));
        return miss;
    }

    @ParameterizedTest
    @EnumSource(value = FlakyResource.Mode.class, names = {"RETURNS_503", "THROWS_503"})
    void serverErrorWithinTheWindowIsAnsweredWithTheStaleEntryAndItsStatus(FlakyResource.Mode failure) {
        HttpResponse<String> miss = storeThenExpire("/api/flaky/1");
        resource.mode.set(failure);
        HttpResponse<String> stale = server.getText("/api/flaky/1");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("1", stale.headers().firstValue("X-Item").orElseThrow());
        assertEquals("61", stale.headers().firstValue("Age").orElseThrow());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=503; ttl=-1",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals(2, resource.calls.get(), "the method ran, and failed");
    }

    @Test
    void recoveredMethodReplacesTheStaleEntry() {
        storeThenExpire("/api/flaky/2");
        resource.mode.set(FlakyResource.Mode.RETURNS_503);
        assertEquals("STALE", server.getText("/api/flaky/2").headers().firstValue("X-Cache").orElseThrow());
        resource.mode.set(FlakyResource.Mode.OK);
        HttpResponse<String> fresh = server.getText("/api/flaky/2");
        assertEquals("MISS", fresh.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("item 2 call 3", fresh.body());
        HttpResponse<String> hit = server.getText("/api/flaky/2");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("item 2 call 3", hit.body());
    }

    @Test
    void errorPastTheWindowGoesToTheClient() {
        server.getText("/api/flaky/3");
        clock.advance(Duration.ofSeconds(60 + 600));
        resource.mode.set(FlakyResource.Mode.RETURNS_503);
        HttpResponse<String> error = server.getText("/api/flaky/3");
        assertEquals(503, error.statusCode());
        assertEquals("backend down", error.body());
    }

    @Test
    void endpointWithoutStaleIfErrorPassesTheErrorThrough() {
        storeThenExpire("/api/flaky/short/4");
        resource.mode.set(FlakyResource.Mode.RETURNS_503);
        assertEquals(503, server.getText("/api/flaky/short/4").statusCode());
    }

    @Test
    void clientErrorIsNotAnOutageAndGoesToTheClient() {
        storeThenExpire("/api/flaky/5");
        resource.mode.set(FlakyResource.Mode.RETURNS_404);
        HttpResponse<String> gone = server.getText("/api/flaky/5");
        assertEquals(404, gone.statusCode());
        assertEquals("gone", gone.body());
    }

    @Test
    void staleEntryIsNeverServedForAnotherVaryValue() {
        storeThenExpire("/api/flaky/6?x=1");
        server.getText("/api/flaky/6", "Accept-Language", "fr");
        resource.mode.set(FlakyResource.Mode.RETURNS_503);
        HttpResponse<String> german = server.getText("/api/flaky/6", "Accept-Language", "de");
        assertEquals(503, german.statusCode());
        HttpResponse<String> french = server.getText("/api/flaky/6", "Accept-Language", "fr");
        assertEquals(200, french.statusCode(), "the fr entry is fresh: a hit");
        assertEquals("HIT", french.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void headAndConditionalRequestsOnAStaleEntryBehave() {
        server.getText("/api/flaky/7");
        // The cache tags the entry it stores, so the tag comes with the first hit.
        String etag = server.getText("/api/flaky/7").headers().firstValue("ETag").orElseThrow();
        clock.advance(Duration.ofSeconds(61));
        resource.mode.set(FlakyResource.Mode.RETURNS_503);
        HttpResponse<String> notModified = server.getText("/api/flaky/7", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());
        HttpResponse<byte[]> head = server.send(server.request("/api/flaky/7")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals("STALE", head.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void outageIsLoggedOncePerKeyNotPerRequest() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            storeThenExpire("/api/flaky/8");
            resource.mode.set(FlakyResource.Mode.RETURNS_503);
            for (int i = 0; i < 3; i++) {
                assertEquals(200, server.getText("/api/flaky/8").statusCode());
            }
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains("/api/flaky/8") && warnings.get(0).contains("503"), warnings::toString);
        }
    }
}
