package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A header-driven refresh went asynchronous twice: its first cycle (timeout 5 s) dispatched at once, and the second,
 * started in that dispatch, was given 120 s by its servlet, as the servlet API lets it do after {@code startAsync}.
 * The claim on the key was bound by the second cycle's timeout as read when the cycle started, before the servlet set
 * it (the container's default, 30 s): past that, with the refresh still running well within its own timeout, the next
 * stale answer took the key over, counted the running refresh as failed and started a second one for the same key.
 * Real Jetty and Tomcat; claim time on the injected ticker (moved 40 s: the second cycle still has 80 s to run).
 */
class RefreshInALaterAsynchronousCycleWasTakenOverWithinItsOwnTimeoutTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @ParameterizedTest
    @EnumSource(Container.class)
    void theKeyStaysClaimedWhileTheSecondCycleRunsWithinTheTimeoutItsServletGaveIt(Container container) {
        TwoCycleServlet servlet = new TwoCycleServlet();
        try (Container.Running app = container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "10s")
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("headers", servlet, "/headers/*"))) {
            try {
                assertEquals("page 1", app.get("/headers/page").body());
                clock.advance(Duration.ofSeconds(70));
                servlet.slow.set(true);

                assertEquals("page 1", app.get("/headers/page").body());
                Eventually.until(() -> servlet.secondCycles.get() == 1, WAIT,
                        () -> "the refresh never started its second cycle");

                // 40 s on: past the container's default timeout, well within the 120 s the second cycle was given.
                nanos.addAndGet(Duration.ofSeconds(40).toNanos());
                HttpResponse<String> stale = app.get("/headers/page");
                assertEquals("page 1", stale.body());
                assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"));
                // A takeover reports the running refresh as failed on this request's thread, before its answer.
                assertEquals(0, registry.find("responsecache.refresh.failures").counters().stream()
                        .mapToDouble(counter -> counter.count()).sum(), "the running refresh was counted as failed");
            } finally {
                servlet.release.countDown();
            }
            Eventually.until(() -> "page 2".equals(app.get("/headers/page").body()), WAIT,
                    () -> "the refresh never stored");
            assertEquals(1, servlet.refreshes.get(), "one refresh of the key at a time");
        }
    }

    /**
     * Header-driven pages. Once slow, a refresh starts a first cycle (timeout 5 s) and dispatches it; the dispatch
     * starts a second cycle, gives it 120 s and answers {@code page 2} from another thread once released.
     */
    static final class TwoCycleServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicBoolean slow = new AtomicBoolean();
        final transient AtomicInteger refreshes = new AtomicInteger();
        final transient AtomicInteger secondCycles = new AtomicInteger();
        final transient CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getDispatcherType() == DispatcherType.ASYNC) {
                AsyncContext second = request.startAsync();
                second.setTimeout(120_000);
                secondCycles.incrementAndGet();
                second.start(() -> {
                    try {
                        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        page(second.getResponse() instanceof HttpServletResponse http ? http : response, "page 2");
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        second.complete();
                    }
                });
                return;
            }
            if (slow.get()) {
                refreshes.incrementAndGet();
                AsyncContext first = request.startAsync();
                first.setTimeout(5_000);
                first.dispatch();
                return;
            }
            page(response, "page 1");
        }

        private static void page(HttpServletResponse response, String body) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=600");
            response.getWriter().write(body);
        }
    }
}
