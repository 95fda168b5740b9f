package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A header-driven stale-while-revalidate refresh went asynchronous and its asynchronous dispatch threw. Jetty 12.1
 * reports no event at all for that once the response is complete (Tomcat reports the error), so the refresh's claim
 * on the key, and with Redis its lease, stood until the end of the entry's stale-while-revalidate window: every
 * request got the stale entry and no refresh was tried again, long after the application had recovered. The claim of
 * an asynchronous refresh now ends within its asynchronous timeout even if no event comes: past it (on the injected
 * ticker) the next stale answer refreshes again, and the refresh that never ended is logged and counted once as a
 * failed refresh. With coalescing off such a claim was never taken over at all. Real Jetty and Tomcat, one store per
 * subclass; cache time on the injected clock, claim time on the injected ticker.
 */
abstract class AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowContract {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The failing refresh's asynchronous timeout: its claim's bound once it went asynchronous. */
    private static final long ASYNC_TIMEOUT_MILLIS = 20_000;

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    /** The store under test: its context-params, with {@code coalescing} on or off. */
    abstract ServletApp withStore(ServletApp app, boolean coalescing);

    @ParameterizedTest
    @EnumSource(Container.class)
    void nextStaleAnswerPastTheAsynchronousTimeoutRefreshesAgainAndTheLostRefreshIsCountedOnce(Container container) {
        assertRefreshedAgainPastTheTimeout(container, withStore(new ServletApp()
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "10s"), true));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void withCoalescingOffTheClaimOfARefreshThatNeverEndedIsTakenOverToo(Container container) {
        assertRefreshedAgainPastTheTimeout(container, withStore(new ServletApp()
                .contextParam(ResponseCacheProperties.COALESCE, "false"), false));
    }

    private void assertRefreshedAgainPastTheTimeout(Container container, ServletApp configured) {
        AsyncFailingServlet servlet = new AsyncFailingServlet();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(configured
                     .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                     .attribute(ResponseCacheProperties.CLOCK, clock)
                     .attribute(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                     .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                     .servlet("headers", servlet, "/headers/*"))) {
            assertEquals("page 1", app.get("/headers/page").body());
            clock.advance(Duration.ofSeconds(70));
            servlet.failing.set(true);

            HttpResponse<String> stale = app.get("/headers/page");
            assertEquals("page 1", stale.body());
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"));
            Eventually.until(() -> servlet.thrown.get() == 1, WAIT, () -> "the refresh's dispatch never threw");
            // Tomcat reports the error; Jetty only the end of the request's cycle, without an event or the failure
            // (it logs what was thrown). Either ends the refresh (awaited here, so that the ticker moves on only once
            // it is known whether an end was reported).
            String exception = exception(container);
            Eventually.until(() -> refreshFailures(exception) == 1, WAIT, () -> container + " reported no error");

            // The application recovers; the window (600 s) has long to run, the refresh's asynchronous timeout not.
            servlet.failing.set(false);
            nanos.addAndGet(Duration.ofMillis(ASYNC_TIMEOUT_MILLIS).plusSeconds(1).toNanos());
            Eventually.until(() -> "HIT".equals(app.get("/headers/page").headers().firstValue("X-Cache")
                    .orElse("none")), WAIT, () -> "no refresh was tried again past the asynchronous timeout");
            assertEquals("page 2", app.get("/headers/page").body());

            assertEquals(1, refreshFailures(exception), "the lost refresh is counted, once");
            assertEquals(1, registry.find("responsecache.refresh.failures").counters().size(), "and nothing else");
            assertEquals(List.of("background refresh of /headers/page failed; its stale entry answers until its"
                    + " stale-while-revalidate window ends"), log.messagesAtLeast(Level.WARNING), "logged once");
        }
    }

    /**
     * On Jetty, which tells no {@code AsyncListener} of a dispatch that throws once the response is complete, the
     * failure was seen only when the refresh's claim lapsed and a later request took the key over: with no later
     * request it was never counted, and the key waited for the asynchronous timeout. Jetty's request reports the end of
     * its cycle with the failure: the refresh is counted and ended then, the ticker never moved, so the next stale
     * answer refreshes at once.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void dispatchThatThrewOnJettyWasCountedOnlyWhenALaterRequestTookTheKeyOver(Container container) {
        AsyncFailingServlet servlet = new AsyncFailingServlet();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(withStore(new ServletApp()
                     .contextParam(ResponseCacheProperties.COALESCE_WAIT, "10s"), true)
                     .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                     .attribute(ResponseCacheProperties.CLOCK, clock)
                     .attribute(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                     .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                     .servlet("headers", servlet, "/headers/*"))) {
            assertEquals("page 1", app.get("/headers/page").body());
            clock.advance(Duration.ofSeconds(70));
            servlet.failing.set(true);

            assertEquals("STALE", app.get("/headers/page").headers().firstValue("X-Cache").orElse("none"));
            Eventually.until(() -> refreshFailures(exception(container)) == 1, WAIT,
                    () -> container + ": the failed dispatch was not counted without a later request");
            assertEquals(List.of("background refresh of /headers/page failed; its stale entry answers until its"
                    + " stale-while-revalidate window ends"), log.messagesAtLeast(Level.WARNING), "logged once");

            // Ended with it: the next stale answer refreshes again at once, within the asynchronous timeout.
            servlet.failing.set(false);
            Eventually.until(() -> "HIT".equals(app.get("/headers/page").headers().firstValue("X-Cache")
                    .orElse("none")), WAIT, () -> container + ": the failed refresh still held the key");
            assertEquals("page 2", app.get("/headers/page").body());
            assertEquals(1, servlet.thrown.get());
            assertEquals(1, registry.find("responsecache.refresh.failures").counters().size(), "nothing else counted");
        }
    }

    /**
     * The end of the request's cycle that Jetty reports after its listeners' events is no failure: an asynchronous
     * refresh that completes, whether on another thread or through a dispatch that answers, is counted nowhere.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void asynchronousRefreshThatCompletesIsNoFailure(Container container) {
        AsyncAnsweringServlet servlet = new AsyncAnsweringServlet();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(withStore(new ServletApp()
                     .contextParam(ResponseCacheProperties.COALESCE_WAIT, "10s"), true)
                     .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                     .attribute(ResponseCacheProperties.CLOCK, clock)
                     .attribute(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                     .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                     .servlet("headers", servlet, "/headers/*"))) {
            for (String path : List.of("/headers/completed", "/headers/dispatched")) {
                assertEquals("page 1", app.get(path).body());
            }
            clock.advance(Duration.ofSeconds(70));
            servlet.asynchronous.set(true);
            for (String path : List.of("/headers/completed", "/headers/dispatched")) {
                assertEquals("STALE", app.get(path).headers().firstValue("X-Cache").orElse("none"));
                Eventually.until(() -> "HIT".equals(app.get(path).headers().firstValue("X-Cache").orElse("none")),
                        WAIT, () -> container + ": " + path + " was never refreshed");
                assertEquals("page 2", app.get(path).body());
            }
            assertEquals(0, registry.find("responsecache.refresh.failures").counters().size(), container.toString());
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING), container.toString());
        }
    }

    /**
     * Header-driven pages; once asynchronous, {@code /completed} answers on another thread and completes,
     * {@code /dispatched} dispatches to itself and answers in the dispatch.
     */
    static final class AsyncAnsweringServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicBoolean asynchronous = new AtomicBoolean();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean refreshed = asynchronous.get();
            if (refreshed && request.getDispatcherType() == DispatcherType.REQUEST) {
                AsyncContext async = request.startAsync();
                async.setTimeout(ASYNC_TIMEOUT_MILLIS);
                if (request.getRequestURI().endsWith("/dispatched")) {
                    async.dispatch();
                } else {
                    async.start(() -> {
                        try {
                            answer((HttpServletResponse) async.getResponse(), true);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        } finally {
                            async.complete();
                        }
                    });
                }
                return;
            }
            answer(response, refreshed);
        }

        private static void answer(HttpServletResponse response, boolean refreshed) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=600");
            response.getWriter().write(refreshed ? "page 2" : "page 1");
        }
    }

    /** What a failed dispatch is counted as: what it threw on Tomcat; on Jetty, which tells no one, a failed run. */
    private static String exception(Container container) {
        return container == Container.JETTY ? "ExecutionException" : "IllegalStateException";
    }

    private double refreshFailures(String exception) {
        Counter counter = registry.find("responsecache.refresh.failures")
                .tags("route", "header-cache", "exception", exception).counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Header-driven pages, answered at once until failing; then asynchronous: its cycle (timeout 20 s) is dispatched
     * to itself, and the dispatch throws. {@code page 2} once a refresh has been tried.
     */
    static final class AsyncFailingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicBoolean failing = new AtomicBoolean();
        final transient AtomicInteger thrown = new AtomicInteger();
        private final transient AtomicBoolean refreshed = new AtomicBoolean();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getDispatcherType() == DispatcherType.ASYNC) {
                thrown.incrementAndGet();
                throw new IllegalStateException("backend down");
            }
            if (failing.get()) {
                refreshed.set(true);
                AsyncContext async = request.startAsync();
                async.setTimeout(ASYNC_TIMEOUT_MILLIS);
                async.dispatch();
                return;
            }
            response.setContentType("text/plain;charset=utf-8");
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=600");
            response.getWriter().write(refreshed.get() ? "page 2" : "page 1");
        }
    }
}
