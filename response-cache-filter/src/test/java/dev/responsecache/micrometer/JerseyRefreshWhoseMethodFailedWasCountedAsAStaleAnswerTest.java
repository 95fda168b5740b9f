package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jersey behind the library's filter in front, which runs a stale-while-revalidate refresh after the stale answer: a
 * refresh whose method failed on a route with {@code staleIfError} (a returned 503, which the stale entry replaces in
 * the response filters, or an exception no mapper handles, which the filter in front replaces) had that replacement,
 * which reaches no client, counted in {@code responsecache.requests} as outcome {@code stale}, reason {@code error}.
 * A refresh is never a client request: each client request is counted once, whether its refresh failed or succeeded.
 * Real Jetty and Tomcat, real Jersey, the clock injected, each refresh awaited through the key's claim.
 */
class JerseyRefreshWhoseMethodFailedWasCountedAsAStaleAnswerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** Answers {@code page <call>}; while failing, a 503 or an exception. */
    @Path("page")
    public static final class Page {
        final AtomicInteger calls = new AtomicInteger();
        final boolean throwing;
        volatile boolean failing;

        Page(boolean throwing) {
            this.throwing = throwing;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30, staleIfError = 600)
        public Response get() {
            int call = calls.incrementAndGet();
            if (failing && throwing) {
                throw new IllegalStateException("backend down (no exception mapper)");
            }
            return failing ? Response.status(503).entity("backend down").build() : Response.ok("page " + call).build();
        }
    }

    static Stream<Arguments> containersAndFailures() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                Arguments.of(container, false), Arguments.of(container, true)));
    }

    @ParameterizedTest
    @MethodSource("containersAndFailures")
    void refreshesAfterTheAnswerAddNothingToTheRequestsCounted(Container container, boolean throwing) {
        MeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock();
        Page page = new Page(throwing);
        String where = container + (throwing ? ", throwing" : ", 503");
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .initializer(new ResponseCacheInitializer())
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(ResponseCacheFeature.class)
                        .register(page)), "/api/*"))) {
            int[] clients = {0};
            assertEquals("page 1", app.get("/api/page").body(), where);
            clients[0]++;
            clock.advance(Duration.ofSeconds(70));
            page.failing = true;
            // Each refresh ends (and is counted, if at all) before the key's claim lets a later stale answer start
            // another: two refreshes have failed once a request has started a third.
            Eventually.until(() -> {
                HttpResponse<String> stale = app.get("/api/page");
                clients[0]++;
                assertEquals("page 1", stale.body(), where + ": the refresh's failure reached a client");
                return page.calls.get() >= 4;
            }, DEADLINE, () -> where + ": the failed refreshes kept the key's claim");
            page.failing = false;
            Eventually.until(() -> {
                HttpResponse<String> next = app.get("/api/page");
                clients[0]++;
                return "HIT".equals(next.headers().firstValue("X-Cache").orElse(""));
            }, DEADLINE, () -> where + ": the successful refresh was never stored");
            Eventually.until(() -> requests(registry) >= clients[0], DEADLINE,
                    () -> where + ": a client request was never counted");

            assertEquals(0, requests(registry, "stale", "error"), where + ": a failed refresh was counted");
            assertEquals(1, requests(registry, "miss", "uri-miss"), where);
            assertEquals(clients[0], requests(registry), where + ": not each client request counted once");
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
}
