package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A filter in front of the cache that set its own {@code Cache-Status} line before calling the chain (an edge layer
 * naming itself) had it replaced by the cache's, on the miss and the hit, and the response was then never stored
 * (the line set in front was missing from it). {@code Cache-Status} lists its members from the origin outward (RFC
 * 9211 2): a member set in front is an outer one, kept after the cache's on every answer and never stored.
 */
class CacheStatusSetInFrontWasReplacedTest {

    /** Sets {@code Cache-Status} to what {@code X-Edge} says, when sent, before the cache runs. */
    static final class Edge implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            String member = ((HttpServletRequest) req).getHeader("X-Edge");
            if (member != null) {
                ((HttpServletResponse) res).setHeader("Cache-Status", member);
            }
            chain.doFilter(req, res);
        }
    }

    /** A page; {@code /upstream} relays an upstream cache's member, {@code /cookie} sets a cookie (never stored). */
    static final class Page extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            if (request.getRequestURI().endsWith("/upstream")) {
                response.setHeader("Cache-Status", "Origin; hit");
            } else if (request.getRequestURI().endsWith("/cookie")) {
                response.addHeader("Set-Cookie", "seen=1");
            }
            response.getWriter().write("page " + runs.incrementAndGet());
        }
    }

    /** Every {@code Cache-Status} field line, joined as one list value (RFC 9110 5.3). */
    private static String cacheStatus(HttpResponse<String> response) {
        return String.join(", ", response.headers().allValues("Cache-Status"));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void memberSetInFrontIsKeptAfterTheCachesOnTheMissAndTheHitAndNeverStored(Container container) {
        Page page = new Page();
        try (Container.Running app = container.start(new ServletApp()
                .filter("edge", new Edge(), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .filter("edge-headers", new Edge(), "/headers/*")
                .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("page", page, "/page/*")
                .servlet("headers", page, "/headers/*"))) {
            HttpResponse<String> miss = app.get("/page/a", "X-Edge", "Edge; fwd=uri-miss");
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse("none"), container.toString());
            assertEquals("ResponseCache; fwd=uri-miss, Edge; fwd=uri-miss", cacheStatus(miss), container.toString());

            HttpResponse<String> hit = app.get("/page/a", "X-Edge", "Edge; hit");
            assertEquals("page 1", hit.body(), container + ": stored, though a line was set in front");
            assertTrue(cacheStatus(hit).matches("ResponseCache; hit; ttl=\\d+, Edge; hit"), container + ": "
                    + cacheStatus(hit));
            HttpResponse<String> alone = app.get("/page/a");
            assertEquals("page 1", alone.body(), container.toString());
            assertTrue(cacheStatus(alone).matches("ResponseCache; hit; ttl=\\d+"),
                    container + ": the member set in front was stored: " + cacheStatus(alone));

            // The members of caches nearer the origin, the servlet's, come first: the list runs outward.
            app.get("/page/upstream", "X-Edge", "Edge; fwd=uri-miss");
            HttpResponse<String> relayed = app.get("/page/upstream", "X-Edge", "Edge; hit");
            assertTrue(cacheStatus(relayed).matches("Origin; hit, ResponseCache; hit; ttl=\\d+, Edge; hit"),
                    container + ": " + cacheStatus(relayed));
            assertTrue(cacheStatus(app.get("/page/upstream")).matches("Origin; hit, ResponseCache; hit; ttl=\\d+"),
                    container.toString());

            // Kept too on an answer that is not stored, and on one that passes the store by.
            assertEquals("ResponseCache; fwd=uri-miss; detail=set-cookie, Edge; fwd=uri-miss",
                    cacheStatus(app.get("/page/cookie", "X-Edge", "Edge; fwd=uri-miss")), container.toString());
            assertEquals("ResponseCache; fwd=bypass; detail=credentials, Edge; fwd=uri-miss",
                    cacheStatus(app.get("/page/a", "X-Edge", "Edge; fwd=uri-miss", "Authorization", "Basic dXNlcjpw")),
                    container.toString());
            // And on the 504 the cache answers itself for a request that allows nothing but a stored response.
            HttpResponse<String> onlyIfCached = app.get("/headers/a", "X-Edge", "Edge; fwd=uri-miss",
                    "Cache-Control", "only-if-cached");
            assertEquals(504, onlyIfCached.statusCode(), container.toString());
            assertEquals("ResponseCache; fwd=bypass; detail=only-if-cached, Edge; fwd=uri-miss",
                    cacheStatus(onlyIfCached), container.toString());
            assertEquals(4, page.runs.get(), container.toString());
        }
    }
}
