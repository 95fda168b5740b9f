package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.RuntimeDelegate;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jboss.resteasy.spi.ResteasyProviderFactory;
import org.junit.jupiter.api.Test;

/**
 * RESTEasy writes a header value with the header delegates an application adds to its provider factory
 * ({@code addHeaderDelegate}, here from a feature). The cache read header value objects through
 * {@code RuntimeDelegate.getInstance()}, which is that factory only on a thread serving the application: on a thread
 * of the application's own that resumes an {@code AsyncResponse} it is another application's, and the hits sent the
 * value's {@code toString()} where the miss sent {@code X-Price: EUR 5}. The cache reads through the application's
 * factory; the same value on the miss and every hit, with one application, beside another, and resumed
 * asynchronously.
 */
class ResteasyAddedHeaderDelegateIsReadAsResteasyWritesTest {

    @Test
    void headerValueAnAddedDelegateWritesIsTheSameOnAHit() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(PricedApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> miss = get(client, app);
            assertEquals(List.of("EUR 5"), miss.headers().allValues("X-Price"), "as RESTEasy writes it");
            assertEquals(List.of("USD 7, ResponseCache; fwd=uri-miss"), miss.headers().allValues("Cache-Status"));
            HttpResponse<String> hit = get(client, app);
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of("EUR 5"), hit.headers().allValues("X-Price"));
            List<String> status = hit.headers().allValues("Cache-Status");
            assertTrue(status.size() == 1 && status.get(0).matches("USD 7, ResponseCache; hit; ttl=\\d+"),
                    status.toString());
        }
    }

    /** The same, with another application deployed after it in the same JVM (its own provider factory). */
    @Test
    void headerValueAnAddedDelegateWritesIsTheSameOnAHitBesideAnotherApplication() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(PricedApplication.class),
                JaxrsRuntime.resteasy());
             Container.Deployed other = new JettyEe10().deploy(new WebApp().jaxrs(ContractApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(404, get(client, other).statusCode(), "another application");
            assertEquals(List.of("EUR 5"), get(client, app).headers().allValues("X-Price"), "as RESTEasy writes it");
            HttpResponse<String> hit = get(client, app);
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of("EUR 5"), hit.headers().allValues("X-Price"));
        }
    }

    /**
     * Resumed on a thread of the application's own, where RESTEasy has pushed no provider factory: there
     * {@code RuntimeDelegate.getInstance()} is another application's (one deployed before it), and the cache stored
     * the value's {@code toString()}.
     */
    @Test
    void headerValueAnAddedDelegateWritesWasStoredAsItsToStringWhenResumedOnAnApplicationThread() throws Exception {
        try (Container.Deployed other = new JettyEe10().deploy(new WebApp().jaxrs(ContractApplication.class),
                JaxrsRuntime.resteasy());
             Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(PricedApplication.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(404, get(client, other).statusCode(), "another application");
            HttpResponse<String> miss = get(client, app, "/api/priced/later");
            assertEquals(List.of("EUR 5"), miss.headers().allValues("X-Price"), "as RESTEasy writes it");
            HttpResponse<String> hit = get(client, app, "/api/priced/later");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of("EUR 5"), hit.headers().allValues("X-Price"));
        }
    }

    private static HttpResponse<String> get(HttpClient client, Container.Deployed app) throws Exception {
        return get(client, app, "/api/priced");
    }

    private static HttpResponse<String> get(HttpClient client, Container.Deployed app, String path)
            throws Exception {
        return client.send(HttpRequest.newBuilder(app.base().resolve(path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A header value type only {@link PriceDelegate} writes. */
    public record Price(String currency, int amount) {
    }

    public static final class PriceDelegate implements RuntimeDelegate.HeaderDelegate<Price> {
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

    /** Adds the delegate to the application's provider factory, as RESTEasy's API allows. */
    public static final class PriceDelegates implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            ((ResteasyProviderFactory) context.getConfiguration()).addHeaderDelegate(Price.class,
                    new PriceDelegate());
            return true;
        }
    }

    public static class PricedApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(PriceDelegates.class, ResponseCacheFeature.class, Priced.class);
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

        @GET
        @Path("later")
        @CacheResponse(ttl = 60)
        public void later(@Suspended AsyncResponse response) {
            CompletableFuture.runAsync(() -> response.resume(Response.ok("later")
                    .header("X-Price", new Price("EUR", 5)).build()));
        }
    }
}
