package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheListener;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy in front of an origin that caches with this library in the ttl mode, as the sample application does: the
 * origin's {@code ETag} is the one the library derives from the body, the very tag the proxy's cache would derive from
 * the same body. The proxy took it for its own derived tag and never sent it, so every request after the first went
 * to the origin as a full GET and was stored anew ({@code X-Cache: MISS} every time).
 */
class ProxyRevalidatesAnOriginCachingWithThisLibraryTest {

    /** Round trips through the proxy before its entry is declared never revalidated; no clock is read. */
    private static final int MAX_ATTEMPTS = 10_000;

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger productReads = new AtomicInteger();
    /** What reached the origin, in front of its cache: each request's If-None-Match (or "none") and the status. */
    private final List<String> atOrigin = new CopyOnWriteArrayList<>();
    private Server origin;
    private CachingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        origin = new Server(0);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addEventListener(new ResponseCacheListener());
        Filter recording = (request, response, chain) -> {
            String ifNoneMatch = ((HttpServletRequest) request).getHeader("If-None-Match");
            chain.doFilter(request, response);
            atOrigin.add((ifNoneMatch == null ? "none" : ifNoneMatch) + " -> "
                    + ((HttpServletResponse) response).getStatus());
        };
        context.addFilter(new FilterHolder(recording), "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder cache = new FilterHolder(ResponseCacheFilter.class);
        cache.setInitParameter("ttl", "600");
        context.addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                // No Cache-Control, Expires or ETag: the origin's cache adds the tag, as the sample's endpoints get.
                productReads.incrementAndGet();
                response.setContentType("application/json");
                response.getOutputStream().write("{\"id\":12}".getBytes(StandardCharsets.UTF_8));
            }
        }), "/*");
        origin.setHandler(context);
        origin.start();
        int port = ((ServerConnector) origin.getConnectors()[0]).getLocalPort();
        proxy = CachingProxy.start(URI.create("http://localhost:" + port), 0, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        origin.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + proxy.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String xCache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void originsEtagEqualToTheDerivedOneIsSentAndItsNotModifiedRevalidatesTheEntry() throws Exception {
        assertEquals("{\"id\":12}", get("/api/products/12").body());
        // The proxy stores the origin's answer once it carries the origin cache's tag (the asynchronous proxy servlet
        // stores it as the response completes): from then on each request is revalidated.
        HttpResponse<String> response = get("/api/products/12");
        for (int attempt = 0; !"REVALIDATED".equals(xCache(response)); attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new AssertionError("never revalidated: X-Cache " + xCache(response) + ", the origin saw "
                        + atOrigin.subList(0, Math.min(atOrigin.size(), 10)));
            }
            response = get("/api/products/12");
        }
        String etag = response.headers().firstValue("ETag").orElseThrow();
        for (int i = 0; i < 3; i++) {
            int before = atOrigin.size();
            HttpResponse<String> revalidated = get("/api/products/12");
            assertEquals("REVALIDATED", xCache(revalidated));
            assertEquals("{\"id\":12}", revalidated.body());
            assertEquals(etag, revalidated.headers().firstValue("ETag").orElseThrow());
            // The origin's member as the proxy stored it, then the proxy's, with the freshness the 304 left: the entry
            // has no lifetime (the origin sends no Cache-Control or Expires), so it is below zero by its age, ttl=-1
            // within its first second (docs/HEADER_DRIVEN.md shows the line).
            String status = revalidated.headers().firstValue("Cache-Status").orElseThrow();
            assertTrue(status.matches("ResponseCache; hit; ttl=\\d+, ResponseCache; fwd=stale; fwd-status=304; ttl=-\\d+"),
                    status);
            assertEquals(List.of(etag + " -> 304"), atOrigin.subList(before, atOrigin.size()),
                    "the proxy's conditional GET, answered 304 by the origin's cache");
        }
        assertEquals(1, productReads.get(), "the origin's own cache answered every request after the first");
    }
}
