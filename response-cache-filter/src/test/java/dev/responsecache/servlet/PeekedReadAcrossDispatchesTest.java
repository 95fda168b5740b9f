package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The early path's peek keeps its store read for the JAX-RS lookup of the same pass only: a request a filter behind it
 * parks and dispatches again later is looked up afresh, so an entry invalidated meanwhile is not served.
 */
class PeekedReadAcrossDispatchesTest {

    private static final String PARK = "test.park";
    private static final AtomicInteger VERSION = new AtomicInteger();
    /** The second call (the refresh of the stale entry) waits in the method until the test releases it. */
    private static final CountDownLatch REFRESHING = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    private final MutableClock clock = new MutableClock();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void entryInvalidatedWhileTheRequestWasParkedIsNotServedOnItsAsyncDispatch() throws Exception {
        server = WebApps.start("parked", clock);
        HttpResponse<String> first = server.getText("/api/versions");
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElse("none"));
        String evicted = first.body();
        // Stale within staleWhileRevalidate: one request refreshes it (held in the method), every other one is
        // answered stale; the peek in front does not answer it and keeps its read for the lookup behind.
        clock.advance(Duration.ofSeconds(61));
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> refreshing = client.sendAsync(
                server.request("/api/versions").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(REFRESHING.await(30, TimeUnit.SECONDS));
        CompletableFuture<AsyncContext> parked = new CompletableFuture<>();
        server.context().getServletContext().setAttribute(PARK, parked);
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
                server.request("/api/versions").header("X-Park", "yes").build(), HttpResponse.BodyHandlers.ofString());
        AsyncContext async = parked.get(30, TimeUnit.SECONDS);
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        assertEquals(1, invalidator.evictPath("/api/versions"));
        async.dispatch();
        RELEASE.countDown();
        HttpResponse<String> afterEviction = answer.get(30, TimeUnit.SECONDS);
        assertEquals(200, refreshing.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, afterEviction.statusCode());
        assertNotEquals(evicted, afterEviction.body(), "the evicted entry was served: "
                + afterEviction.headers().firstValue("Cache-Status").orElse(""));
    }

    /** A method whose every call answers a new version, served stale for a while after its ttl. */
    @Path("versions")
    public static final class Versions {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleWhileRevalidate = 600)
        public String version() throws InterruptedException {
            int version = VERSION.incrementAndGet();
            if (version == 2) {
                REFRESHING.countDown();
                assertTrue(RELEASE.await(30, TimeUnit.SECONDS));
            }
            return "v" + version;
        }
    }

    /** Parks a request that asks for it, handing its async context to the test, which dispatches it again. */
    public static final class Parking implements Filter {
        @Override
        @SuppressWarnings("unchecked")
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            if (request.getDispatcherType() == DispatcherType.REQUEST && request.getHeader("X-Park") != null) {
                AsyncContext async = request.startAsync();
                ((CompletableFuture<AsyncContext>) request.getServletContext().getAttribute(PARK)).complete(async);
                return;
            }
            chain.doFilter(req, res);
        }
    }
}
