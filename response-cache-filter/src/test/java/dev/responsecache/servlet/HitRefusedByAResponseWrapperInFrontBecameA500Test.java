package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writing a hit failed in the middle of its header lines (here a response wrapper in front that refuses one of the
 * fields a hit sets and the servlet never does: {@code Age}; before, a stored line Jetty could not pre-encode): the
 * exception went to the container, and every hit of the entry was a 500 where the servlet alone answers 200. A fault
 * while writing a hit, before anything is committed, now resets the response and serves the request uncached.
 */
class HitRefusedByAResponseWrapperInFrontBecameA500Test {

    static final class CountedPage extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("page " + runs.incrementAndGet());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hitThatCannotBeWrittenIsServedUncached(Container container) {
        CountedPage page = new CountedPage();
        try (Container.Running app = container.start(new ServletApp()
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", page, "/page/*"))) {
            HttpResponse<String> miss = app.get("/page/a");
            assertEquals(200, miss.statusCode(), container.toString());
            assertEquals("page 1", miss.body(), container.toString());
            for (int i = 2; i <= 3; i++) {
                HttpResponse<String> again = app.get("/page/a");
                assertEquals(200, again.statusCode(), container + ": the hit's fault reached the client");
                assertEquals("page " + i, again.body(), container + ": served uncached, as the servlet alone");
                assertEquals(i, page.runs.get(), container.toString());
            }
        }
    }

    /**
     * A stale hit that this request refreshes once it is answered (stale-while-revalidate) is written by its own path,
     * which ended the refresh and threw: the same refused line was a 500 on every stale hit of the entry.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void staleHitThatCannotBeWrittenIsServedUncached(Container container) {
        MutableClock clock = new MutableClock();
        CountedPage page = new CountedPage();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", page, "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(70));
            for (int i = 2; i <= 3; i++) {
                HttpResponse<String> again = app.get("/page/a");
                assertEquals(200, again.statusCode(), container + ": the stale hit's fault reached the client");
                assertEquals("page " + i, again.body(), container + ": served uncached, as the servlet alone");
                assertEquals(i, page.runs.get(), container.toString());
            }
        }
    }
}
