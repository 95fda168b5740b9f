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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The containers write a locale with a script each their own way: Tomcat its language tag ({@code sr-Latn-RS}), Jetty
 * its {@code toString} with hyphens ({@code sr-RS-#Latn}). The miss, its hits and the entry a refresh stores all carry
 * what this container sent (the refresh used to send none at all; Tomcat's miss lost it on the hit).
 */
class RefreshedEntryKeepsTheContainersLanguageTagTest {

    static final Locale SERBIAN_LATIN = Locale.forLanguageTag("sr-Latn-RS");

    static final class SerbianPage extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            response.setLocale(SERBIAN_LATIN);
            response.getWriter().write("Dobar dan");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void missHitAndRefreshedEntryCarryTheContainersLanguageTag(Container container) {
        MutableClock clock = new MutableClock();
        SerbianPage servlet = new SerbianPage();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", servlet, "/page/*"))) {
            String tag = container == Container.TOMCAT ? "sr-Latn-RS" : "sr-RS-#Latn";
            assertEquals(List.of(tag), app.get("/page/a").headers().allValues("Content-Language"), "the miss");
            HttpResponse<String> hit = app.get("/page/a");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of(tag), hit.headers().allValues("Content-Language"), "the hit");

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get("/page/a").headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> servlet.calls.get() == 2
                            && "HIT".equals(app.get("/page/a").headers().firstValue("X-Cache").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");

            HttpResponse<String> refreshed = app.get("/page/a");
            assertEquals("0", refreshed.headers().firstValue("Age").orElseThrow(), "the refreshed entry");
            assertEquals(List.of(tag), refreshed.headers().allValues("Content-Language"), "the refreshed entry");
        }
    }
}
