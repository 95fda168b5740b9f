package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * On Jetty, a servlet's {@code setLocale(Locale.GERMANY)} sends {@code Content-Language: de-DE}, and the miss's entry
 * keeps it. A stale-while-revalidate refresh runs the servlet into the cache's detached response, whose
 * {@code setLocale} does nothing ("a locale alone changes nothing stored"), so the refreshed entry has no
 * {@code Content-Language}.
 *
 * <p>What the client gets after the refresh: no {@code Content-Language}. What it should get: {@code de-DE}, as the
 * miss and the hits before the refresh had (and as the servlet sends without the cache). On Tomcat the header is lost
 * at the miss already ({@link ContentLanguageFromSetLocaleLostOnHitTest}).
 */
class RefreshedEntryLosesContentLanguageTest {

    static final class GermanPage extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            response.setLocale(Locale.GERMANY);
            response.getWriter().write("Guten Tag");
        }
    }

    @Test
    void refreshedEntryKeepsTheLanguageSetThroughSetLocale() {
        MutableClock clock = new MutableClock();
        GermanPage servlet = new GermanPage();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", servlet, "/page/*"))) {
            assertEquals(List.of("de-DE"), app.get("/page/a").headers().allValues("Content-Language"));
            assertEquals(List.of("de-DE"), app.get("/page/a").headers().allValues("Content-Language"), "the hit");

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get("/page/a").headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> servlet.calls.get() == 2
                            && "HIT".equals(app.get("/page/a").headers().firstValue("X-Cache").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");

            HttpResponse<String> refreshed = app.get("/page/a");
            assertEquals("0", refreshed.headers().firstValue("Age").orElseThrow(), "the refreshed entry");
            assertEquals(List.of("de-DE"), refreshed.headers().allValues("Content-Language"));
        }
    }
}
