package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet whose response already carries {@code Cache-Status} and {@code X-Cache} (a proxy servlet relaying an
 * upstream cache's, an application behind a cache of its own) replaced the filter's: the container kept the last
 * {@code setHeader}, so a miss showed the upstream's status alone and no client could tell which cache answered.
 *
 * <p>What it should get (RFC 9211 2): one {@code Cache-Status} list, the upstream members first, then exactly one
 * member of this cache, on the miss and on every hit, in both modes and on both containers; the entry keeps the
 * upstream members as the servlet sent them and never this cache's member. {@code X-Cache} is this cache's alone.
 */
class UpstreamCacheStatusReplacedTheCachesOwnTest {

    static final class UpstreamCachedPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("Cache-Status", "OriginCache; hit");
            response.addHeader("Cache-Status", "Edge; fwd=uri-miss");
            response.setHeader("X-Cache", "HIT");
            if (request.getRequestURI().endsWith("/personal")) {
                response.addCookie(new Cookie("visitor", "7"));
            }
            response.getWriter().write("page");
        }
    }

    /** A page of 2 KiB (compressed when stored) behind two upstream caches, which fails while {@code failing}. */
    static final class FailingUpstreamPage extends HttpServlet {
        final AtomicBoolean failing = new AtomicBoolean();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (failing.get()) {
                response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                return;
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("Cache-Status", "OriginCache; hit");
            response.addHeader("Cache-Status", "Edge; fwd=uri-miss");
            response.getWriter().write("page ".repeat(400));
        }
    }

    /** An upstream status relayed as it came: an empty line, a member padded with spaces, another line. */
    static final class OddlySpacedPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("Cache-Status", "");
            response.addHeader("Cache-Status", "  OriginCache; hit  ");
            response.addHeader("Cache-Status", " ");
            response.addHeader("Cache-Status", "Edge; fwd=uri-miss");
            response.getWriter().write("page");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void upstreamMembersComeFirstAndThisCachesOnceOnMissAndHits(Container container) {
        for (String ttl : List.of("60", "headers")) {
            try (Container.Running app = container.start(new ServletApp()
                    .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", ttl)
                    .servlet("page", new UpstreamCachedPage(), "/page/*"))) {
                String where = container + ", ttl=" + ttl;
                HttpResponse<String> miss = app.get("/page/shared");
                assertEquals(List.of("MISS"), miss.headers().allValues("X-Cache"), where);
                assertEquals(List.of("OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; fwd=uri-miss"),
                        miss.headers().allValues("Cache-Status"), where);
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> hit = app.get("/page/shared");
                    assertEquals("page", hit.body(), where);
                    assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"), where);
                    List<String> status = hit.headers().allValues("Cache-Status");
                    assertEquals(1, status.size(), where + ": " + status);
                    assertTrue(status.get(0).matches(
                                    "OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; hit; ttl=\\d+"),
                            where + ": the stored upstream members, then this hit's member alone: " + status);
                }

                HttpResponse<String> personal = app.get("/page/personal");
                assertEquals(List.of("MISS"), personal.headers().allValues("X-Cache"), where);
                assertEquals(List.of("OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; fwd=uri-miss; "
                        + "detail=set-cookie"), personal.headers().allValues("Cache-Status"), where);
            }
        }
    }

    /**
     * The miss left out an empty {@code Cache-Status} line and trimmed a padded one, but the entry kept them as sent
     * and every hit joined them as they were: an empty member first ({@code ", OriginCache..."}), the padding inside
     * the list. A hit shows the stored members as the miss showed them.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void blankCacheStatusLineLeftAnEmptyMemberOnHits(Container container) {
        for (String ttl : List.of("60", "headers")) {
            try (Container.Running app = container.start(new ServletApp()
                    .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", ttl)
                    .servlet("page", new OddlySpacedPage(), "/page/*"))) {
                String where = container + ", ttl=" + ttl;
                HttpResponse<String> miss = app.get("/page/odd");
                assertEquals(List.of("OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; fwd=uri-miss"),
                        miss.headers().allValues("Cache-Status"), where);
                HttpResponse<String> hit = app.get("/page/odd");
                assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"), where);
                List<String> status = hit.headers().allValues("Cache-Status");
                assertEquals(1, status.size(), where + ": " + status);
                assertTrue(status.get(0).matches(
                        "OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; hit; ttl=\\d+"), where + ": " + status);
            }
        }
    }

    /**
     * Every answer the entry gives, not only a plain hit: a HEAD, a 304, a range, the stored gzip bytes, a stale
     * answer in place of an error. Each is one {@code Cache-Status} line, the stored members first, then exactly one
     * member of this cache.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void everyAnswerFromTheEntryShowsTheStoredMembersThenOneOfTheCaches(Container container) throws Exception {
        MutableClock clock = new MutableClock();
        FailingUpstreamPage page = new FailingUpstreamPage();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COMPRESS, "gzip")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600")
                .servlet("page", page, "/page/*"))) {
            String upstream = "OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; ";
            HttpResponse<String> miss = app.get("/page/every");
            assertEquals(List.of(upstream + "fwd=uri-miss"), miss.headers().allValues("Cache-Status"));
            HttpResponse<String> hit = app.get("/page/every");
            String etag = hit.headers().firstValue("ETag").orElseThrow();
            assertOneLine(upstream + "hit; ttl=\\d+", 200, hit, "hit");
            HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri("/page/every"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertOneLine(upstream + "hit; ttl=\\d+", 200, head, "HEAD");
            assertOneLine(upstream + "hit; ttl=\\d+", 304, app.get("/page/every", "If-None-Match", etag), "304");
            assertOneLine(upstream + "hit; ttl=\\d+", 206, app.get("/page/every", "Range", "bytes=0-3"), "range");
            HttpResponse<byte[]> gzip = app.getBytes("/page/every", "Accept-Encoding", "gzip");
            assertEquals(List.of("gzip"), gzip.headers().allValues("Content-Encoding"), "stored compressed");
            assertOneLine(upstream + "hit; ttl=\\d+", 200, gzip, "gzip");
            clock.advance(Duration.ofSeconds(120));
            page.failing.set(true);
            assertOneLine(upstream + "fwd=stale; fwd-status=503; ttl=-60", 200, app.get("/page/every"), "stale");
        }
    }

    private static void assertOneLine(String pattern, int status, HttpResponse<?> response, String what) {
        assertEquals(status, response.statusCode(), what);
        List<String> lines = response.headers().allValues("Cache-Status");
        assertEquals(1, lines.size(), what + ": " + lines);
        assertTrue(lines.get(0).matches(pattern), what + ": " + lines);
    }
}
