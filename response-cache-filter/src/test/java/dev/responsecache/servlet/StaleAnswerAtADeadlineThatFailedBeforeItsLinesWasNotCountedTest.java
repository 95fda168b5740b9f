package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stale answer at a {@code staleIfErrorDeadline} first resets the container's response and sets again the lines a
 * filter in front set for the request, outside the guard of the answer's own lines. A response wrapper in front that
 * refuses one of them (here it keeps {@code X-Frame-Options} single: {@code setHeader} only) made that part throw:
 * the timer took the response from the servlet anyway, the client got the reset response (an empty 200, neither the
 * stale page nor the servlet's), and the answer was counted nowhere. Now a failure there is a stale answer that could
 * not be written: the servlet's own answer goes to the client, as if no deadline had passed, and nothing is counted
 * as answered stale. Real Jetty and Tomcat; the deadline's real timer, waited for by the refusal it meets.
 */
class StaleAnswerAtADeadlineThatFailedBeforeItsLinesWasNotCountedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Sets {@code X-Frame-Options} for every request; its wrapper refuses a second line of it, and tells when. */
    static final class SingleFrameOptionsFilter implements Filter {
        final CountDownLatch refused = new CountDownLatch(1);

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletResponse http = (HttpServletResponse) response;
            http.setHeader("X-Frame-Options", "DENY");
            chain.doFilter(request, new HttpServletResponseWrapper(http) {
                @Override
                public void addHeader(String name, String value) {
                    if ("X-Frame-Options".equalsIgnoreCase(name)) {
                        refused.countDown();
                        throw new IllegalArgumentException("X-Frame-Options is single here: setHeader");
                    }
                    super.addHeader(name, value);
                }
            });
        }
    }

    private static double requests(MeterRegistry registry, String outcome, String reason) {
        Counter counter = registry.find("responsecache.requests")
                .tags("route", "cache", "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theServletsOwnAnswerGoesOutAndNothingIsCountedStale(Container container) throws Exception {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        HeldPage page = new HeldPage();
        SingleFrameOptionsFilter strict = new SingleFrameOptionsFilter();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .filter("strict", strict, "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("page", page, "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body());
            clock.advance(Duration.ofSeconds(61));

            try {
                CompletableFuture<HttpResponse<String>> late = HttpClient.newHttpClient().sendAsync(
                        HttpRequest.newBuilder(app.uri("/page/a")).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(strict.refused.await(WAIT.toSeconds(), TimeUnit.SECONDS),
                        container + ": the deadline's answer never set the line in front again");
                page.gate.countDown();
                HttpResponse<String> answer = late.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), container.toString());
                assertEquals("page 2", answer.body(), container + ": " + answer.headers().map());
                assertEquals(0, requests(registry, "stale", "error"), container + ": counted as answered stale");
                assertEquals(1, requests(registry, "miss", "stale"), container.toString());
            } finally {
                page.gate.countDown();
            }
        }
    }
}
