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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code setDateHeader} with a date outside the years 1583 to 9999: both containers format it with a calendar that is
 * Julian before October 1582 (the first of January of the year 2 is "Fri, 03 Jan 0002"), and a later year as Jetty
 * writes it ("01 Jan 00" for 10000) or Tomcat ("10000"). A stale-while-revalidate refresh runs the servlet into the
 * cache's detached response, which wrote the proleptic Gregorian date with a sign ("Fri, 01 Jan 0002",
 * "Sat, 01 Jan +10000"): the refreshed entry's header was not the one every miss sends. Such a refresh is not stored,
 * and a date within those years still is (the control).
 */
class RefreshedEntryWroteDatesOutsideTheContainersCalendarTest {

    static final class Dated extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setDateHeader("X-Valid-Until", Long.parseLong(request.getParameter("at")));
            response.getWriter().write("dated");
        }
    }

    static Stream<Arguments> dates() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                // 0002-01-01, 1582-10-15 (the reform's first day, alike in both calendars: not stored all the same),
                // 10000-01-01, Long.MAX_VALUE.
                -62_104_060_800_000L, -12_219_292_800_000L, 253_402_300_800_000L, Long.MAX_VALUE,
                // 2030-01-01: the same on both containers and the refresh.
                1_893_456_000_000L).map(at -> Arguments.of(container, at)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dates")
    void refreshedEntryCarriesTheDateTheContainerWrites(Container container, long at) {
        MutableClock clock = new MutableClock();
        Dated cached = new Dated();
        String url = "/cached/page?at=" + at;
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("cached", cached, "/cached/*")
                .servlet("alone", new Dated(), "/alone/*"))) {
            List<String> sent = app.get("/alone/page?at=" + at).headers().allValues("X-Valid-Until");
            assertEquals(sent, app.get(url).headers().allValues("X-Valid-Until"));

            clock.advance(Duration.ofSeconds(70));
            // The refreshed entry, or the stale one while a refresh that was not stored is tried again (a second one
            // starts once the first has ended).
            Eventually.until(() -> {
                HttpResponse<String> answer = app.get(url);
                assertEquals(sent, answer.headers().allValues("X-Valid-Until"), "on " + container);
                return cached.calls.get() >= 3 || "0".equals(answer.headers().firstValue("Age").orElse(""));
            }, Duration.ofSeconds(30), () -> "the first refresh never ended");
        }
    }
}
