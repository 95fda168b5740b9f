package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.spi.HeaderDelegateProvider;
import org.junit.jupiter.api.Test;

/**
 * Jersey writes a header value with the {@code HeaderDelegateProvider} an application ships in
 * {@code META-INF/services} ({@link PriceDelegate}, listed in this module's test resources); the cache read the value
 * through the JAX-RS runtime delegate alone, which does not hold it, and so stored its {@code toString()}: the miss
 * sent {@code X-Price: EUR 5}, every hit {@code X-Price: Price[currency=EUR, amount=5]}. It now reads every header
 * value object with the delegates Jersey writes with.
 */
class ServiceLoadedHeaderDelegateWasIgnoredTest {

    /** A header value type only {@link PriceDelegate} writes. */
    public record Price(String currency, int amount) {
    }

    public static final class PriceDelegate implements HeaderDelegateProvider<Price> {
        @Override
        public boolean supports(Class<?> type) {
            return type == Price.class;
        }

        @Override
        public Price fromString(String value) {
            String[] parts = value.split(" ");
            return new Price(parts[0], Integer.parseInt(parts[1]));
        }

        @Override
        public String toString(Price value) {
            return value.currency() + " " + value.amount();
        }
    }

    @Path("priced")
    public static class Priced {
        @GET
        @CacheResponse(ttl = 60)
        public Response priced() {
            // A Cache-Status member too: the cache reads the method's members to list its own after them.
            return Response.ok("priced").header("X-Price", new Price("EUR", 5))
                    .header("Cache-Status", new Price("USD", 7)).build();
        }
    }

    @Test
    void hitSendsTheHeaderLinesTheMissSent() {
        try (TestServer server = TestServer.jersey(new ResourceConfig(Priced.class)
                .register(ResponseCacheFeature.class)).start()) {
            HttpResponse<String> miss = server.getText("/api/priced");
            HttpResponse<String> hit = server.getText("/api/priced");
            assertEquals(List.of("MISS"), miss.headers().allValues("X-Cache"));
            assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"));
            assertEquals(List.of("EUR 5"), miss.headers().allValues("X-Price"));
            assertEquals(miss.headers().allValues("X-Price"), hit.headers().allValues("X-Price"));
            assertEquals(List.of("USD 7, ResponseCache; fwd=uri-miss"), miss.headers().allValues("Cache-Status"));
            List<String> status = hit.headers().allValues("Cache-Status");
            assertTrue(status.size() == 1 && status.get(0).matches("USD 7, ResponseCache; hit; ttl=\\d+"),
                    status.toString());
        }
    }
}
