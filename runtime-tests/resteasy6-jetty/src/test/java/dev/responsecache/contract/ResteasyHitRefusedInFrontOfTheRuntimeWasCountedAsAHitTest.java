package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

/**
 * The RESTEasy sibling of {@code JaxrsHitRefusedInFrontOfTheRuntimeWasCountedAsAHitTest}: a hit RESTEasy writes
 * through a response wrapper in front of it that refuses {@code Age} is its 500 to the client, and was counted as a
 * hit. The library's runner in front now counts it as the bypass it became ({@code reason=error}), each request
 * once. Real Jetty, real RESTEasy.
 */
class ResteasyHitRefusedInFrontOfTheRuntimeWasCountedAsAHitTest {

    private static final AtomicInteger CALLS = new AtomicInteger();

    @Path("/")
    public static class RefusedPage {
        @GET
        @Path("page")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get() {
            return "page " + CALLS.incrementAndGet();
        }
    }

    public static class PageApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, RefusedPage.class);
        }
    }

    private static double requests(MeterRegistry registry, String outcome, String reason) {
        Counter counter = registry.find("responsecache.requests")
                .tags("route", "RefusedPage#get", "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double counted(MeterRegistry registry) {
        return registry.find("responsecache.requests").tag("route", "RefusedPage#get").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static void awaitUntil(BooleanSupplier condition, String failure) {
        ContractSuite.awaitUntil(condition, Duration.ofSeconds(30), () -> failure);
    }

    @Test
    void refusedHitIsCountedAsTheBypassItBecame() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(PageApplication.class)
                .filter("no-age", RefusesAge.class, "/*")
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry), JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest page = HttpRequest.newBuilder(app.base().resolve("/api/page"))
                    .timeout(Duration.ofSeconds(30)).build();
            String first = client.send(page, HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(500, client.send(page, HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "RESTEasy writes the hit through the wrapper");
            // Counted as the request leaves the runner, which may be just after the client read the 500.
            awaitUntil(() -> counted(registry) >= 2, "the refused hit was never counted");
            assertEquals(2, counted(registry), "each request counted once");
            assertEquals(1, requests(registry, "miss", "uri-miss"), first);
            assertEquals(0, requests(registry, "hit", "fresh"), "a hit the client never got was counted as one");
            assertEquals(1, requests(registry, "bypass", "error"));
        }
    }
}
