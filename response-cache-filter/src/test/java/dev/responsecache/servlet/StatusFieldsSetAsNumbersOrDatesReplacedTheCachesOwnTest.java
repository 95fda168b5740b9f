package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Cache-Status} and {@code X-Cache} set through {@code setIntHeader}, {@code addIntHeader},
 * {@code setDateHeader} or {@code addDateHeader} went to the container as they came, on both containers: a set
 * replaced the cache's own field on the miss ({@code X-Cache: Thu, 01 Jan 1970 00:00:00 GMT}, {@code Cache-Status: 1}),
 * an add put lines after it ({@code Cache-Status: ResponseCache; fwd=uri-miss}, {@code 1}, then the date: this cache's
 * member before the upstream ones), and the hits showed this cache's member alone, the upstream members lost.
 *
 * <p>What it should get: the same as through {@code setHeader} and {@code addHeader}
 * ({@link UpstreamCacheStatusReplacedTheCachesOwnTest}): the servlet's {@code Cache-Status} lines are the members of
 * caches nearer the origin, first in one list with this cache's member last, on the miss and on every hit;
 * {@code X-Cache} is this cache's alone.
 */
class StatusFieldsSetAsNumbersOrDatesReplacedTheCachesOwnTest {

    private static final long DATE = 0L;
    /** {@link #DATE} as both containers write it. */
    private static final String DATE_TEXT = "Thu, 01 Jan 1970 00:00:00 GMT";

    static final class NumberedStatusPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "max-age=60");
            if (request.getRequestURI().endsWith("/set")) {
                response.setIntHeader("Cache-Status", 1);
                response.setIntHeader("X-Cache", 2);
                response.setDateHeader("X-Cache", DATE);
            } else {
                response.addIntHeader("Cache-Status", 1);
                response.addDateHeader("Cache-Status", DATE);
                response.addIntHeader("X-Cache", 2);
                response.addDateHeader("X-Cache", DATE);
            }
            response.getWriter().write("page");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletsLinesComeFirstAndThisCachesOnceOnMissAndHits(Container container) {
        for (String ttl : List.of("60", "headers")) {
            try (Container.Running app = container.start(new ServletApp()
                    .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", ttl)
                    .servlet("page", new NumberedStatusPage(), "/page/*"))) {
                check(app, "/page/set", "1", container + ", ttl=" + ttl + ", set");
                check(app, "/page/add", "1, " + DATE_TEXT, container + ", ttl=" + ttl + ", add");
            }
        }
    }

    private static void check(Container.Running app, String path, String upstream, String where) {
        HttpResponse<String> miss = app.get(path);
        assertEquals(List.of("MISS"), miss.headers().allValues("X-Cache"), where);
        assertEquals(List.of(upstream + ", ResponseCache; fwd=uri-miss"), miss.headers().allValues("Cache-Status"),
                where);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> hit = app.get(path);
            assertEquals("page", hit.body(), where);
            assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"), where);
            List<String> status = hit.headers().allValues("Cache-Status");
            assertEquals(1, status.size(), where + ": " + status);
            assertTrue(status.get(0).matches(Pattern.quote(upstream) + ", ResponseCache; hit; ttl=\\d+"),
                    where + ": the stored lines, then this hit's member alone: " + status);
        }
    }
}
