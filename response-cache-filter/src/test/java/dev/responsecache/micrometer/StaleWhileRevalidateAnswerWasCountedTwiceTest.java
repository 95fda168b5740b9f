package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each stale-while-revalidate answer of the servlet filter was counted twice in {@code responsecache.requests}: as a
 * hit with reason {@code stale} and again as outcome {@code stale}, reason {@code revalidate}, so that outcomes summed
 * to more than the requests. Counted once now, as the hit. With it, the refreshes the filter runs after the stale
 * answer, which fail (a 503, or an exception) on a route with {@code staleIfError} and then succeed, are checked to
 * count nothing as a request (a JAX-RS refresh after its answer counted its replaced error as outcome {@code stale},
 * reason {@code error}; the servlet filter's never did). Real Jetty and Tomcat, the clock injected, each refresh
 * awaited through the key's claim.
 */
class StaleWhileRevalidateAnswerWasCountedTwiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    static Stream<Arguments> containersAndFailures() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                Arguments.of(container, false), Arguments.of(container, true)));
    }

    @ParameterizedTest
    @MethodSource("containersAndFailures")
    void refreshesAfterTheAnswerAddNothingToTheRequestsCounted(Container container, boolean throwing) {
        MeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock();
        PageServlet servlet = new PageServlet(throwing);
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("page-cache", new ResponseCacheFilter(), "/page/*",
                        "ttl", "60", "staleWhileRevalidate", "30", "staleIfError", "600")
                .servlet("page", servlet, "/page/*"))) {
            int[] clients = {0};
            assertEquals("page 1", app.get("/page/a").body());
            clients[0]++;
            clock.advance(Duration.ofSeconds(70));
            servlet.failing = true;
            // Each refresh ends (and is counted, if at all) before the key's claim lets a later stale answer start
            // another: two refreshes have failed once a request has started a third.
            Eventually.until(() -> {
                HttpResponse<String> stale = app.get("/page/a");
                clients[0]++;
                assertEquals("page 1", stale.body(), container + ": the refresh's failure reached a client");
                return servlet.calls.get() >= 4;
            }, DEADLINE, () -> container + ": the failed refreshes kept the key's claim");
            servlet.failing = false;
            Eventually.until(() -> {
                HttpResponse<String> next = app.get("/page/a");
                clients[0]++;
                return "HIT".equals(next.headers().firstValue("X-Cache").orElse(""));
            }, DEADLINE, () -> container + ": the successful refresh was never stored");
            Eventually.until(() -> requests(registry) >= clients[0], DEADLINE,
                    () -> container + ": a client request was never counted");

            assertEquals(0, requests(registry, "stale", "error"), container + ": a failed refresh was counted");
            assertEquals(1, requests(registry, "miss", "uri-miss"), container.toString());
            assertEquals(clients[0], requests(registry), container + ": not each client request counted once");
        }
    }

    private static double requests(MeterRegistry registry, String outcome, String reason) {
        return registry.find(MicrometerEvents.REQUESTS).tags("outcome", outcome, "reason", reason).counters()
                .stream().mapToDouble(counter -> counter.count()).sum();
    }

    private static double requests(MeterRegistry registry) {
        return registry.find(MicrometerEvents.REQUESTS).counters().stream().mapToDouble(counter -> counter.count())
                .sum();
    }

    /** Answers {@code page <call>}; while failing, a 503 or an exception. */
    static final class PageServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicInteger calls = new AtomicInteger();
        private final boolean throwing;
        transient volatile boolean failing;

        PageServlet(boolean throwing) {
            this.throwing = throwing;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            int call = calls.incrementAndGet();
            if (failing && throwing) {
                throw new ServletException("backend down");
            }
            response.setContentType("text/plain;charset=utf-8");
            response.setStatus(failing ? 503 : 200);
            response.getWriter().write(failing ? "backend down" : "page " + call);
        }
    }
}
