package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A revalidating 304 applies to the stored response only when its validators are the stored ones (RFC 9111 4.3.4).
 * The revalidation sends the origin's {@code ETag} alone, so that an origin evaluating {@code If-Modified-Since}
 * alone answers a change within the same second whole; an origin that still answers 304 for another representation
 * gets the stale entry answered once (or a 504 where the stored response forbids stale use) and the URL's entries
 * evicted, the request never sent down the chain a second time.
 */
class ServletRevalidationValidatorsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT";

    private final MutableClock clock = new MutableClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RevalidatedServlet servlet = new RevalidatedServlet();
    private Container.Running app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The store the entries are kept in: the embedded one here, Redis in {@link ServletRevalidationValidatorsRedisIT}. */
    ServletApp withStore(ServletApp app) {
        return app;
    }

    private void start(Container container) {
        app = container.start(withStore(new ServletApp())
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                // Far longer than any refresh here: a slow machine never makes a refresh look abandoned.
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/d/*", "ttl", "headers")
                .filter("behind", new BehindFilter(), "/d/*")
                .servlet("dated", servlet, "/d/*"));
    }

    /** Stores version 1 of {@code path}, lets it go stale, and makes version 2 the origin's. */
    private void storeThenChange(String path) {
        double storedBefore = stores();
        HttpResponse<String> stored = app.get(path);
        assertEquals("body 1", stored.body());
        assertEquals("MISS", stored.headers().firstValue("X-Cache").orElseThrow());
        // An asynchronous servlet's response is stored as its cycle completes, which the client may see first: the
        // clock moves once the entry is stored, or the entry would be dated after the move, fresh instead of stale.
        Eventually.until(() -> stores() > storedBefore, WAIT, () -> path + ": version 1 was never stored");
        clock.advance(Duration.ofSeconds(61));
        servlet.version.set(2);
    }

    private static void assertAnsweredWhole(HttpResponse<String> answer, String xCache) {
        assertEquals(200, answer.statusCode());
        assertEquals("body 2", answer.body());
        assertEquals("\"v2\"", answer.headers().firstValue("ETag").orElseThrow());
        assertEquals(xCache, answer.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("yes", answer.headers().firstValue("X-Behind").orElseThrow(), "the filter behind the cache ran");
    }

    private double stores() {
        Counter counter = registry.find("responsecache.stores").tags("route", "cache").counter();
        return counter == null ? 0 : counter.count();
    }

    private double staleAnswers(String reason) {
        Counter counter = registry.find("responsecache.requests")
                .tags("route", "cache", "outcome", "stale", "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void dateOnlyOriginIsAskedWithTheEtagAloneAndAnswersAChangeInTheSameSecondWhole(Container container) {
        start(container);
        storeThenChange("/d/dated");

        assertAnsweredWhole(app.get("/d/dated"), "MISS");
        assertEquals("\"v1\"", servlet.lastIfNoneMatch.get(), "revalidated with the origin's own tag");
        assertNull(servlet.lastIfModifiedSince.get(), "never with the date beside the tag");
        assertAnsweredWhole(app.get("/d/dated"), "HIT");
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void notModifiedWithAnotherEtagAnswersTheStoredBodyOnceAsStaleAndNeverRunsTheChainTwice(Container container) {
        start(container);
        storeThenChange("/d/page");

        HttpResponse<String> answer = app.get("/d/page");
        assertEquals(200, answer.statusCode());
        assertEquals("body 1", answer.body(), "the 304 named another representation, whose body the cache lacks");
        assertEquals("\"v1\"", answer.headers().firstValue("ETag").orElseThrow(), "the stored body's own tag");
        assertEquals("STALE", answer.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=304; ttl=-1; detail=validator-mismatch",
                answer.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals("yes", answer.headers().firstValue("X-Behind").orElseThrow());
        assertEquals(2, servlet.calls.get(), "the store and the 304: the request was not sent again");
        assertEquals(1, staleAnswers("validator-mismatch"), "counted as a stale answer");

        // Evicted: the next request is a miss through the whole chain (on Tomcat too), stored with what it set.
        assertAnsweredWhole(app.get("/d/page"), "MISS");
        assertEquals("\"v1\"", servlet.lastIfNoneMatch.get(), "the next request is not a revalidation");
        assertAnsweredWhole(app.get("/d/page"), "HIT");
        assertEquals(3, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletAnswering304SynchronouslyAndItsBodyAsynchronouslyGetsTheStaleBodyNot500(Container container) {
        start(container);
        storeThenChange("/d/async");

        HttpResponse<String> answer = app.get("/d/async");
        assertEquals(200, answer.statusCode());
        assertEquals("body 1", answer.body());
        assertEquals("STALE", answer.headers().firstValue("X-Cache").orElseThrow());

        assertAnsweredWhole(app.get("/d/async"), "MISS");
        assertAnsweredWhole(app.get("/d/async"), "HIT");
        assertEquals(3, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void unstorableNewVersionAfterAValidatorMismatchRunsTheServletOncePerRequest(Container container) {
        start(container);
        storeThenChange("/d/cookie");

        assertEquals("STALE", app.get("/d/cookie").headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, servlet.calls.get());
        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> next = app.get("/d/cookie");
            assertEquals("body 2", next.body());
            assertEquals("MISS", next.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(2 + i, servlet.calls.get(), "one servlet call per request: the stale entry is gone");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void validatorMismatchOfAResponseThatForbidsStaleUseIsA504NotTheStaleBody(Container container) {
        start(container);
        for (String path : List.of("/d/must-revalidate", "/d/proxy-revalidate", "/d/s-maxage", "/d/no-cache")) {
            servlet.version.set(1);
            storeThenChange(path);
            HttpResponse<String> answer = app.get(path);
            assertEquals(504, answer.statusCode(), path + ": RFC 9111 4.2.4, never served stale");
            assertFalse(answer.body().contains("body 1"), path);
            assertEquals("ResponseCache; fwd=stale; fwd-status=304; detail=validator-mismatch",
                    answer.headers().firstValue("Cache-Status").orElseThrow(), path);
            HttpResponse<String> next = app.get(path);
            assertEquals(200, next.statusCode(), path);
            assertEquals("body 2", next.body(), path);
            assertEquals("MISS", next.headers().firstValue("X-Cache").orElseThrow(), path);
        }
        assertEquals(0, staleAnswers("validator-mismatch"));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void backgroundRevalidationAnsweredWithAnotherEtagEvictsTheOldBody(Container container) {
        start(container);
        storeThenChange("/d/swr");
        HttpResponse<String> stale = app.get("/d/swr");
        assertEquals("body 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());

        Eventually.until(() -> {
            HttpResponse<String> answer = app.get("/d/swr");
            String etag = answer.headers().firstValue("ETag").orElseThrow();
            assertEquals(answer.body().equals("body 1") ? "\"v1\"" : "\"v2\"", etag, "the body of another tag");
            return answer.body().equals("body 2");
        }, WAIT, () -> "the old body stayed after a 304 about another representation");
        HttpResponse<String> hit = app.get("/d/swr");
        assertEquals("body 2", hit.body());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
    }

    /** A filter behind the cache: what it sets belongs in every stored response. */
    static final class BehindFilter implements Filter {

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) response).setHeader("X-Behind", "yes");
            chain.doFilter(request, response);
        }
    }

    /**
     * Versions that share one {@code Last-Modified}, each with its own tag. {@code /d/dated} evaluates
     * {@code If-Modified-Since} alone; every other path answers 304 to any {@code If-None-Match} (an origin that
     * takes the tag's presence for a match), with its current tag. {@code /d/async} answers 304 at once and writes
     * its body from another thread; {@code /d/cookie} sets a cookie from version 2 on; the others' names are the
     * directive they add.
     */
    static final class RevalidatedServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicInteger calls = new AtomicInteger();
        final transient AtomicInteger version = new AtomicInteger(1);
        final transient AtomicReference<String> lastIfNoneMatch = new AtomicReference<>();
        final transient AtomicReference<String> lastIfModifiedSince = new AtomicReference<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            String path = request.getRequestURI().substring("/d/".length());
            if (request.getHeader("If-None-Match") != null) {
                lastIfNoneMatch.set(request.getHeader("If-None-Match"));
            }
            if (request.getHeader("If-Modified-Since") != null) {
                lastIfModifiedSince.set(request.getHeader("If-Modified-Since"));
            }
            int current = version.get();
            response.setHeader("ETag", "\"v" + current + "\"");
            response.setHeader("Last-Modified", LAST_MODIFIED);
            response.setHeader("Cache-Control", switch (path) {
                case "swr" -> "max-age=60, stale-while-revalidate=30";
                case "must-revalidate", "proxy-revalidate" -> "max-age=60, " + path;
                case "s-maxage" -> "s-maxage=60";
                case "no-cache" -> "no-cache";
                default -> "max-age=60";
            });
            if (path.equals("cookie") && current > 1) {
                response.addHeader("Set-Cookie", "seen=" + current);
            }
            boolean notModified = path.equals("dated")
                    ? LAST_MODIFIED.equals(request.getHeader("If-Modified-Since"))
                    : request.getHeader("If-None-Match") != null;
            if (notModified) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            byte[] body = ("body " + current).getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain");
            if (!path.equals("async")) {
                response.getOutputStream().write(body);
                return;
            }
            AsyncContext async = request.startAsync();
            async.start(() -> {
                try {
                    async.getResponse().getOutputStream().write(body);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }
}
