package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter in front of plain servlets, deployed from {@code webapps/reports/WEB-INF/web.xml}. */
class ResponseCacheFilterTest {

    private final MutableClock clock = new MutableClock();
    private TestServer server;

    @BeforeEach
    void start() {
        server = WebApps.start("reports", clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private void assertHit(HttpResponse<byte[]> first, HttpResponse<byte[]> second) {
        assertEquals("MISS", cacheStatus(first));
        assertEquals("HIT", cacheStatus(second));
        assertEquals(first.statusCode(), second.statusCode());
        assertArrayEquals(first.body(), second.body());
    }

    @Test
    void outputStreamBodyIsReplayedWithoutCallingTheServlet() {
        HttpResponse<byte[]> first = server.get("/reports/stream");
        HttpResponse<byte[]> second = server.get("/reports/stream");
        assertHit(first, second);
        assertEquals("stream call 1", new String(second.body(), StandardCharsets.US_ASCII));
        assertEquals("application/octet-stream", second.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("13", second.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(second.headers().firstValue("Cache-Status").orElseThrow().startsWith("ResponseCache; hit"));
    }

    @Test
    void writerBodyIsStoredInTheResponseCharset() {
        HttpResponse<byte[]> first = server.get("/reports/utf8");
        HttpResponse<byte[]> second = server.get("/reports/utf8");
        assertHit(first, second);
        assertEquals("<p>Grüße ✓ call 1</p>", new String(second.body(), StandardCharsets.UTF_8));
        assertEquals("text/html;charset=utf-8",
                second.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", ""));

        HttpResponse<byte[]> latin = server.get("/reports/latin1");
        HttpResponse<byte[]> latinHit = server.get("/reports/latin1");
        assertHit(latin, latinHit);
        assertEquals("café call 2", new String(latinHit.body(), StandardCharsets.ISO_8859_1));
        assertEquals(11, latinHit.body().length);
    }

    @Test
    void headersSetEveryWayAreReplayedWithTheStatus() {
        HttpResponse<byte[]> first = server.get("/reports/headers");
        HttpResponse<byte[]> second = server.get("/reports/headers");
        assertHit(first, second);
        assertEquals(203, second.statusCode());
        assertEquals("one", second.headers().firstValue("X-Set").orElseThrow());
        assertEquals(List.of("first", "second"), second.headers().allValues("X-Added"));
        assertEquals("42", second.headers().firstValue("X-Int").orElseThrow());
        assertEquals("Thu, 01 Jan 2026 00:00:00 GMT", second.headers().firstValue("Last-Modified").orElseThrow());
        assertEquals("text/plain;charset=utf-8",
                second.headers().firstValue("Content-Type").orElseThrow().toLowerCase().replace(" ", ""));
        assertEquals(Integer.toString(second.body().length),
                second.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void bodyFlushedEarlyIsStoredWhole() {
        HttpResponse<byte[]> first = server.get("/reports/flushed");
        HttpResponse<byte[]> second = server.get("/reports/flushed");
        assertHit(first, second);
        assertEquals("early and late call 1", new String(second.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void resetDiscardsWhatWasWrittenBefore() {
        HttpResponse<byte[]> first = server.get("/reports/reset");
        HttpResponse<byte[]> second = server.get("/reports/reset");
        assertHit(first, second);
        assertEquals(200, second.statusCode());
        assertEquals("after reset call 1", new String(second.body(), StandardCharsets.US_ASCII));
        assertTrue(second.headers().firstValue("X-Discarded").isEmpty());
        assertEquals("MISS", cacheStatus(first), "the cache status header survives reset()");
    }

    @Test
    void resetBufferDiscardsTheCopyToo() {
        HttpResponse<byte[]> first = server.get("/reports/reset-buffer");
        HttpResponse<byte[]> second = server.get("/reports/reset-buffer");
        assertHit(first, second);
        assertEquals("kept call 1", new String(second.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void statusSetDirectlyIsStoredButSendErrorAndSendRedirectPassThrough() {
        HttpResponse<byte[]> moved = server.get("/reports/moved");
        HttpResponse<byte[]> movedAgain = server.get("/reports/moved");
        assertHit(moved, movedAgain);
        assertEquals(301, movedAgain.statusCode());
        assertEquals("/reports/utf8", movedAgain.headers().firstValue("Location").orElseThrow());

        // 404 and 302 are cacheable statuses for this filter: only the way they were sent keeps them out.
        HttpResponse<String> error = server.getText("/reports/send-error");
        HttpResponse<String> errorAgain = server.getText("/reports/send-error");
        assertEquals(404, error.statusCode());
        assertEquals(404, errorAgain.statusCode());
        assertEquals("MISS", cacheStatus(errorAgain));
        assertTrue(errorAgain.body().contains("no report 3"), errorAgain.body());

        HttpResponse<String> redirect = server.getText("/reports/redirect");
        HttpResponse<String> redirectAgain = server.getText("/reports/redirect");
        assertEquals(302, redirect.statusCode());
        assertEquals("MISS", cacheStatus(redirectAgain));
        assertTrue(redirectAgain.headers().firstValue("Location").orElseThrow().endsWith("/reports/utf8?from=5"));
    }

    @Test
    void failingServletStoresNothingAndHoldsNoLaterRequestUp() {
        // The web.xml sets a 60 s coalescing wait: a claim left behind would make the second request time out.
        HttpResponse<String> first = server.getText("/reports/throws");
        HttpResponse<String> second = server.getText("/reports/throws");
        assertEquals(500, first.statusCode());
        assertEquals(500, second.statusCode());
        assertEquals("MISS", cacheStatus(second));
    }

    @Test
    void asynchronousServletIsCachedWhenItCompletes() {
        HttpResponse<byte[]> first = server.get("/async/report");
        HttpResponse<byte[]> second = server.get("/async/report");
        assertHit(first, second);
        assertEquals("async call 1", new String(second.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> wrapped = server.get("/async/report?start=wrapped");
        HttpResponse<byte[]> wrappedAgain = server.get("/async/report?start=wrapped");
        assertHit(wrapped, wrappedAgain);
        assertEquals("async call 2", new String(wrappedAgain.body(), StandardCharsets.UTF_8));
    }

    @Test
    void asynchronousServletThatTimesOutStoresNothingAndHoldsNoLaterRequestUp() {
        HttpResponse<byte[]> first = server.get("/async/report?start=abandoned");
        HttpResponse<byte[]> second = server.get("/async/report?start=abandoned");
        assertEquals(500, first.statusCode());
        assertEquals(500, second.statusCode());
        // The web.xml's coalesce wait is 60 s: a claim left behind by the timed-out request would stall this one.
        assertEquals("2", second.headers().firstValue("X-Call").orElseThrow(), "ran again: nothing was stored");
    }

    @Test
    void onlyGetIsCached() {
        HttpRequest post = server.request("/reports/anything").POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> first = server.send(post);
        HttpResponse<byte[]> second = server.send(post);
        assertEquals("posted call 1", new String(first.body(), StandardCharsets.UTF_8));
        assertEquals("posted call 2", new String(second.body(), StandardCharsets.UTF_8));
        assertTrue(second.headers().firstValue("X-Cache").isEmpty());
    }

    @Test
    void uncachedPathsAreNotTouched() {
        HttpResponse<String> response = server.getText("/uncached/page");
        assertTrue(response.headers().firstValue("X-Cache").isEmpty());
    }

    @Test
    void credentialsAreNotSharedUnlessDeclaredOrKeyed() {
        server.getText("/reports/user");
        HttpResponse<String> alice = server.getText("/reports/user", "X-User", "alice");
        assertEquals("alice call 2", alice.body(), "an authenticated user never gets the anonymous entry");
        assertTrue(alice.headers().firstValue("Cache-Status").orElseThrow().contains("credentials"));
        HttpResponse<String> bearer = server.getText("/reports/user", "Authorization", "Bearer x");
        assertEquals("anonymous call 3", bearer.body(), "an Authorization header bypasses the cache too");
        assertEquals("HIT", cacheStatus(server.getText("/reports/user")));

        HttpResponse<String> mine = server.getText("/mine/user", "X-User", "alice");
        HttpResponse<String> bobs = server.getText("/mine/user", "X-User", "bob");
        assertEquals("alice call 4", mine.body());
        assertEquals("bob call 5", bobs.body());
        assertEquals("alice call 4", server.getText("/mine/user", "X-User", "alice").body());

        server.getText("/everyone/user", "X-User", "alice");
        HttpResponse<String> shared = server.getText("/everyone/user", "X-User", "bob");
        assertEquals("HIT", cacheStatus(shared));
        assertEquals("alice call 6", shared.body());
    }
}
