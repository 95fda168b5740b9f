package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.TestServer;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The three ways to invalidate, through Jersey on Jetty with the embedded store. */
class InvalidationTest {

    private static final String TOKEN = "purge-0123456789abcdef";
    private final ProductResource products = new ProductResource();
    private TestServer server;

    private TestServer start(boolean invalidateUnsafe) {
        server = TestServer.jersey(new ResourceConfig().register(products).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.INVALIDATE_UNSAFE, Boolean.toString(invalidateUnsafe))
                .property(ResponseCacheProperties.TAG_HEADER, "X-Product-Tags")
                .property(ResponseCacheProperties.PURGE_TOKEN, TOKEN)
                .property(ResponseCacheProperties.PURGE_ROLE, "purger")
                .register(RolesFromHeaders.class)).start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) {
        return server.getText(path);
    }

    private int send(String method, String path, String body) {
        return server.send(server.request(path).method(method, HttpRequest.BodyPublishers.ofString(body)).build())
                .statusCode();
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** Asserts a hit, so that a later miss proves an eviction rather than an entry that was never stored. */
    private void cached(String path) {
        get(path);
        assertEquals("HIT", get(path).headers().firstValue("X-Cache").orElseThrow(), path);
    }

    private void assertFresh(String path, String body) {
        HttpResponse<String> response = get(path);
        assertEquals("MISS", response.headers().firstValue("X-Cache").orElseThrow(), path);
        assertEquals(body, response.body());
    }

    @Test
    void settingOffLeavesUnsafeRequestsAlone() {
        start(false);
        cached("/api/products/1");
        assertEquals(204, send("PUT", "/api/products/1", "11"));
        assertEquals("product 1 costs 10", get("/api/products/1").body());
    }

    @Test
    void invalidatesCacheEvictsItsTagsOnlyWhenTheMethodSucceeds() {
        start(false);
        cached("/api/products/1");
        cached("/api/products");
        assertEquals(409, send("POST", "/api/products/1/discount", "fail"));
        assertEquals("HIT", get("/api/products/1").headers().firstValue("X-Cache").orElseThrow());
        assertEquals(200, send("POST", "/api/products/1/discount", "5"));
        assertFresh("/api/products/1", "product 1 costs 5");
        assertFresh("/api/products", "all {1=5, 2=20}");
    }

    private HttpResponse<byte[]> purge(String path, String... headers) {
        HttpRequest.Builder request = server.request(path).method("PURGE", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return server.send(request.build());
    }

    /**
     * The role may come from a JAX-RS authentication filter rather than the container: the purge is decided after
     * the application's pre-matching filters. (The token, the container's roles and what a purge evicts are in the
     * contract suite, for both adapters.)
     */
    @Test
    void purgeMethodAdmitsARoleAJaxrsAuthenticationFilterGave() {
        start(false);
        cached("/api/products/1?view=short");
        cached("/api/products/1");
        HttpResponse<byte[]> refused = purge("/api/products/1?view=short", "X-Roles", "viewer");
        assertEquals(403, refused.statusCode());
        assertEquals("purging needs a role\n", text(refused), "a plain-text reply ends with a newline");
        assertEquals("HIT", get("/api/products/1?view=short").headers().firstValue("X-Cache").orElseThrow());
        assertEquals("removed=1\n", text(purge("/api/products/1?view=short", "X-Roles", "purger")));
        assertEquals("HIT", get("/api/products/1").headers().firstValue("X-Cache").orElseThrow(), "only that URL");
        assertFresh("/api/products/1?view=short", "product 1 costs 10");
    }

    @Test
    void invalidatorFromTheConfigurationEvictsATagAndCountsTheEntries() {
        start(false);
        cached("/api/products/1");
        cached("/api/products/2");
        cached("/api/products");
        HttpResponse<byte[]> sale = server.send(server.request("/api/products/sale")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals("removed 3", new String(sale.body(), StandardCharsets.UTF_8));
        assertFresh("/api/products/2", "product 2 costs 1");
    }

    @Test
    void invalidatorIsInTheServletContextAndEvictsPaths() {
        start(false);
        cached("/api/products/1");
        cached("/api/products/1?a=b");
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        products.prices.put("1", "12");
        assertEquals(2, invalidator.evictPath("/api/products/1"));
        assertFresh("/api/products/1?a=b", "product 1 costs 12");
        get("/api/products/2");
        assertTrue(invalidator.evictAll() >= 2);
        assertFresh("/api/products/2", "product 2 costs 20");
    }

    @Test
    void evictRequestRemovesThatUrlsEntryWhateverItsParameterOrderAndNoOtherQuery() {
        start(false);
        cached("/api/products/1?view=short&lang=en");
        cached("/api/products/1?view=long");
        cached("/api/products/1");
        products.prices.put("1", "13");
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        assertEquals(1, invalidator.evictRequest(URI.create("http://any.host/api/products/1?lang=%65n&view=short")));
        assertFresh("/api/products/1?lang=en&view=short", "product 1 costs 13");
        assertEquals("HIT", get("/api/products/1?view=long").headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", get("/api/products/1").headers().firstValue("X-Cache").orElseThrow());
        assertEquals(1, invalidator.evictRequest(URI.create("/api/products/1")));
        assertFresh("/api/products/1", "product 1 costs 13");
        assertThrows(IllegalArgumentException.class, () -> invalidator.evictRequest(URI.create("products/1")));
        assertThrows(IllegalArgumentException.class, () -> invalidator.evictRequest(URI.create("/a?b=%E8")));
    }

    @Test
    void invalidatorIsInjectedWithContextAndInjectAndFoundThroughTheContextResolver() {
        start(false);
        cached("/api/products/1");
        cached("/api/products/2");
        assertEquals("removed 1", evictThrough("url=/api/products/1"));
        assertEquals("removed 1", evictThrough("portable=true&url=/api/products/2"));
        assertFresh("/api/products/1", "product 1 costs 10");
        assertFresh("/api/products/2", "product 2 costs 20");
        assertEquals("removed 1", evictThrough("inject=true&url=/api/products/1"));
    }

    private String evictThrough(String query) {
        return text(server.send(server.request("/api/products/evict?" + query)
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    /**
     * The race: a miss reads the old price, the price changes and its tag is evicted, then the miss stores its
     * response. Driven by latches inside the resource method, so the interleaving is the same on every run.
     */
    @Test
    void missThatReadBeforeAnEvictionDoesNotStoreItsStaleResponse() throws Exception {
        start(false);
        CompletableFuture<HttpResponse<String>> stale = CompletableFuture.supplyAsync(
                () -> get("/api/products/1/gated"));
        assertTrue(products.read.await(60, TimeUnit.SECONDS));
        assertEquals(200, send("POST", "/api/products/1/discount", "7"));
        products.resume.countDown();
        assertEquals("gated 1 costs 10", stale.get(60, TimeUnit.SECONDS).body());
        assertFresh("/api/products/1/gated", "gated 1 costs 7");
    }

    /** An application's authentication filter: {@code X-Roles} makes the request a user's with those roles. */
    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    public static final class RolesFromHeaders implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String roles = request.getHeaderString("X-Roles");
            if (roles == null) {
                return;
            }
            List<String> held = List.of(roles.split(","));
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return () -> "operator";
                }

                @Override
                public boolean isUserInRole(String role) {
                    return held.contains(role);
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "test";
                }
            });
        }
    }
}
