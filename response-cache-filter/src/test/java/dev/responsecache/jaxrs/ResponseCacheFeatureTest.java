package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caching rules end to end: real Jersey on real Jetty, called over HTTP. */
class ResponseCacheFeatureTest {

    private final MutableClock clock = new MutableClock();
    private final CountingResource resource = new CountingResource();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig()
                .register(resource)
                .register(CountingResource.ItemGoneMapper.class)
                .register(CountingResource.BadArgumentMapper.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock)
                .property(ResponseCacheProperties.MAX_BODY_SIZE, "1MB");
        server = TestServer.jersey(app).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void pathParametersKeyEntries() {
        server.getText("/api/items/1");
        HttpResponse<String> other = server.getText("/api/items/2");
        assertEquals("MISS", cacheHeader(other));
        assertTrue(other.body().contains("\"id\":\"2\""));
    }

    @Test
    void binaryBodyIsReplayedByteForByte() {
        HttpResponse<byte[]> first = server.get("/api/binary");
        HttpResponse<byte[]> second = server.get("/api/binary");
        assertEquals("HIT", cacheHeader(second));
        assertArrayEquals(first.body(), second.body());
        assertEquals(70_000, second.body().length);
        // Framed by the runtime as the miss was (a body past its buffer is chunked), never by a stored length.
        assertEquals(first.headers().allValues("Content-Length"), second.headers().allValues("Content-Length"));
    }

    @Test
    void notFoundIsReplayedAsNotFound() {
        HttpResponse<String> first = server.getText("/api/missing");
        HttpResponse<String> second = server.getText("/api/missing");
        assertEquals(404, first.statusCode());
        assertEquals(404, second.statusCode());
        assertEquals("HIT", cacheHeader(second));
        assertEquals("not here", second.body());
        assertEquals(1, resource.calls.get());
    }

    @Test
    void exceptionMappedResponseIsCachedOnlyWhenItsStatusIs() {
        server.getText("/api/gone");
        HttpResponse<String> gone = server.getText("/api/gone");
        assertEquals(410, gone.statusCode());
        assertEquals("HIT", cacheHeader(gone));
        assertEquals("gone 1", gone.body());
        server.getText("/api/bad-request");
        HttpResponse<String> bad = server.getText("/api/bad-request");
        assertEquals(400, bad.statusCode());
        assertEquals("MISS", cacheHeader(bad));
        assertEquals("bad 3", bad.body());
    }

    @Test
    void customStatusHeadersAndContentTypeAreReplayed() {
        HttpResponse<String> first = server.getText("/api/custom");
        HttpResponse<String> second = server.getText("/api/custom");
        assertEquals("HIT", cacheHeader(second));
        assertEquals(203, second.statusCode());
        assertEquals("application/vnd.example+json", second.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(first.headers().allValues("X-Custom"), second.headers().allValues("X-Custom"));
        assertEquals(List.of("one", "two"), second.headers().allValues("X-Custom"));
        assertEquals("public, max-age=60", second.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(first.body(), second.body());
    }

    @Test
    void queryParametersAreKeyedInCanonicalOrder() {
        server.getText("/api/search?q=a&q=b&page=2");
        HttpResponse<String> reordered = server.getText("/api/search?page=2&q=a&q=b");
        HttpResponse<String> swappedValues = server.getText("/api/search?page=2&q=b&q=a");
        assertEquals("HIT", cacheHeader(reordered));
        assertEquals("MISS", cacheHeader(swappedValues), "the order of repeated values is visible to the method");
        assertTrue(swappedValues.body().startsWith("q=[b, a]"));
        HttpResponse<String> encoded = server.getText("/api/search?q=%61&q=b&page=2");
        assertEquals("HIT", cacheHeader(encoded), "a=%61 is the same request as a=a");
    }

    @Test
    void craftedQueryValuesNeverShareAnEntry() {
        // Each pair differs in what the method sees; naive "name=value&..." keys would collide.
        String[][] pairs = {
            {"/api/search?q=a%26page%3D2", "/api/search?q=a&page=2"},
            {"/api/search?q=a%3Db", "/api/search?q=a&b"},
            {"/api/search?q=1:x", "/api/search?q=1&x"},
            {"/api/search?page=&q=", "/api/search?q=&page="},
        };
        for (String[] pair : pairs) {
            HttpResponse<String> first = server.getText(pair[0]);
            HttpResponse<String> second = server.getText(pair[1]);
            if (!pair[0].equals("/api/search?page=&q=")) {
                assertEquals("MISS", cacheHeader(second), pair[0] + " vs " + pair[1]);
                assertNotEquals(first.body(), second.body());
            } else {
                assertEquals("HIT", cacheHeader(second), "only the order differs");
            }
        }
    }

    @Test
    void jsonAndTextOfOneUrlNeverMix() {
        HttpResponse<String> json = server.getText("/api/negotiated", "Accept", "application/json");
        HttpResponse<String> text = server.getText("/api/negotiated", "Accept", "text/plain");
        HttpResponse<String> jsonAgain = server.getText("/api/negotiated", "Accept", "application/json");
        HttpResponse<String> textAgain = server.getText("/api/negotiated", "Accept", "text/plain");
        assertEquals("MISS", cacheHeader(text));
        assertTrue(text.body().startsWith("text"));
        assertEquals("HIT", cacheHeader(jsonAgain));
        assertEquals(json.body(), jsonAgain.body());
        assertEquals("application/json", jsonAgain.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("HIT", cacheHeader(textAgain));
        assertEquals(text.body(), textAgain.body());
        assertTrue(textAgain.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        HttpResponse<String> preferringJson = server.getText("/api/negotiated", "Accept",
                "text/plain;q=0.5, application/json");
        assertTrue(preferringJson.body().startsWith("{"), "never the text entry: " + preferringJson.body());
    }

    @Test
    void varyByCookieKeepsOneEntryPerValue() {
        server.getText("/api/theme", "Cookie", "theme=dark");
        HttpResponse<String> light = server.getText("/api/theme", "Cookie", "theme=light");
        HttpResponse<String> dark = server.getText("/api/theme", "Cookie", "theme=dark");
        assertEquals("MISS", cacheHeader(light));
        assertTrue(light.body().startsWith("theme light"));
        assertEquals("HIT", cacheHeader(dark));
        assertTrue(dark.body().startsWith("theme dark"));
    }

    @Test
    void varyStarIsNeverStored() {
        server.getText("/api/vary-star");
        assertEquals("MISS", cacheHeader(server.getText("/api/vary-star")));
        assertEquals(2, resource.calls.get());
    }

    @Test
    void etagIsDerivedFromTheBodyAndStable() {
        server.getText("/api/binary");
        String first = server.getText("/api/binary").headers().firstValue("ETag").orElseThrow();
        clock.advance(Duration.ofSeconds(61));
        server.getText("/api/binary");
        String afterRefresh = server.getText("/api/binary").headers().firstValue("ETag").orElseThrow();
        assertEquals(first, afterRefresh, "same bytes, same tag, whenever and wherever stored");
    }

    @Test
    void streamingOutputIsCaptured() {
        HttpResponse<String> first = server.getText("/api/streamed");
        HttpResponse<String> second = server.getText("/api/streamed");
        assertEquals("HIT", cacheHeader(second));
        assertEquals("streamed 1", second.body());
        assertEquals(first.body(), second.body());
    }

    @Test
    void asyncResourceIsCaptured() {
        HttpResponse<String> first = server.getText("/api/async");
        HttpResponse<String> second = server.getText("/api/async");
        assertEquals("async 1", first.body());
        assertEquals("HIT", cacheHeader(second));
        assertEquals("async 1", second.body());
    }

    @Test
    void nonGetRequestsPassThroughAndEvictTheirPath() {
        HttpResponse<String> post = server.getText("/api/items/9");
        assertEquals("HIT", cacheHeader(server.getText("/api/items/9")));
        HttpResponse<byte[]> update = server.send(server.request("/api/items/9")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, update.statusCode());
        assertFalse(update.headers().firstValue("X-Cache").isPresent());
        assertEquals("MISS", cacheHeader(server.getText("/api/items/9")), "RFC 9111 4.4: a successful POST evicts");
        assertTrue(post.body().contains("\"call\":1"));
    }
}
