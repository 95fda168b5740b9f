package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A header-driven entry revalidated by a 304 is stored again: with the tags the stored response gave itself (its tag
 * header, the {@code RESPONSE_TAGS} attribute) when the 304 does not repeat them, and with the 304's own when it has
 * some. Before, the 304 stored the entry without them: the Ehcache index lost them at once, Redis once the old entry's
 * retention ran out, and evicting those tags left the entry in place. For one store, on real Jetty and Tomcat.
 */
abstract class RevalidationTagsContract {

    final MutableClock clock = new MutableClock();
    final TaggingServlet servlet = new TaggingServlet();
    Container.Running app;

    /** The store under test: its context-params. */
    abstract ServletApp withStore(ServletApp app);

    /** What else the store must show once {@code path} was revalidated (the Redis tag index); nothing by default. */
    void afterRevalidation(String path) {
    }

    void start(Container container) {
        app = container.start(withStore(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.TAG_HEADER, "X-Cache-Tags"))
                .filter("cache", new ResponseCacheFilter(), "/t/*", "ttl", "headers")
                .servlet("tagging", servlet, "/t/*")
                .servlet("evict", new EvictServlet(), "/evict/*"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    String status(String path) {
        return app.get(path).headers().firstValue("X-Cache").orElseThrow();
    }

    void evict(String tag) {
        assertEquals(200, app.get("/evict/" + tag).statusCode());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void revalidationBy304WithoutTagsKeepsTheTagsTheStoredResponseGaveItself(Container container) {
        start(container);
        assertEquals("MISS", status("/t/a"));
        clock.advance(Duration.ofSeconds(61));
        assertEquals("REVALIDATED", status("/t/a"));
        afterRevalidation("/t/a");
        assertEquals("HIT", status("/t/a"));
        evict("product-42");
        assertEquals("MISS", status("/t/a"), "the tag header's tag still evicts the revalidated entry");
        clock.advance(Duration.ofSeconds(61));
        assertEquals("REVALIDATED", status("/t/a"));
        evict("attr-7");
        assertEquals("MISS", status("/t/a"), "the RESPONSE_TAGS tag still evicts the revalidated entry");
        assertEquals(5, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void revalidationBy304WithItsOwnTagsIsEvictedByThem(Container container) {
        start(container);
        assertEquals("MISS", status("/t/retag"));
        clock.advance(Duration.ofSeconds(61));
        assertEquals("REVALIDATED", status("/t/retag"));
        assertEquals("HIT", status("/t/retag"));
        evict("retagged");
        assertEquals("MISS", status("/t/retag"));
    }

    /**
     * max-age=60 and an ETag; the 200 tags itself {@code product-42} (tag header) and {@code attr-7}
     * ({@code RESPONSE_TAGS}); the 304 of {@code /t/a} repeats neither and says max-age=600, that of
     * {@code /t/retag} tags itself {@code retagged}.
     */
    static final class TaggingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setHeader("ETag", "\"v1\"");
            if ("\"v1\"".equals(request.getHeader("If-None-Match"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                response.setHeader("Cache-Control", "max-age=600");
                if (request.getRequestURI().endsWith("/retag")) {
                    response.setHeader("X-Cache-Tags", "retagged");
                }
                return;
            }
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("X-Cache-Tags", "product-42");
            request.setAttribute(ResponseCacheInvalidator.RESPONSE_TAGS, List.of("attr-7"));
            response.setContentType("text/plain");
            response.getOutputStream().write("tagged".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Evicts the tag its path names, through the application's invalidator. */
    static final class EvictServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            ((ResponseCacheInvalidator) getServletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE))
                    .evictTags(request.getPathInfo().substring(1));
            response.setStatus(200);
        }
    }
}
