package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.ForwardedPrefixFilter;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Links built with the {@code X-Forwarded-Prefix} a proxy routed the client through: from the base URI a servlet
 * filter in front rewrote (Spring's {@code ForwardedHeaderFilter}), or from the header itself. A client through one
 * prefix never gets the links of another.
 */
class ForwardedPrefixKeysTest {

    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private static String described(HttpResponse<String> response) {
        return response.body() + " (X-Cache: " + response.headers().firstValue("X-Cache").orElse("none") + ")";
    }

    /**
     * A guard: the filter in front rewrites the request URI, so the adapter's keys differ by prefix without the
     * prefix's own key field.
     */
    @Test
    void clientsThroughDifferentPrefixesOfAForwardingFilterInFrontOfTheRuntimeNeverGetEachOthersLinks() {
        server = TestServer.jersey(new ResourceConfig().register(new Links()).register(ResponseCacheFeature.class))
                .filter(new ForwardedPrefixFilter(), "/*").start();
        assertEquals("/shop-a/api/links/1 (X-Cache: MISS)",
                described(server.getText("/api/links/base", ForwardedPrefixFilter.HEADER, "/shop-a")));
        assertEquals("/shop-b/api/links/1 (X-Cache: MISS)",
                described(server.getText("/api/links/base", ForwardedPrefixFilter.HEADER, "/shop-b")));
        assertEquals("/shop-a/api/links/1 (X-Cache: HIT)",
                described(server.getText("/api/links/base", ForwardedPrefixFilter.HEADER, "/shop-a")));
    }

    /**
     * A guard as well: hits the runner the initializer installs answers before every filter of the application, so
     * before the forwarding filter rewrites the URI, never answer one prefix's entry to another (they are keyed by
     * the rewritten URI the runtime saw, so this holds without the prefix's own key field too).
     */
    @Test
    void earlyHitsInFrontOfAForwardingFilterNeverAnswerOnePrefixsLinksToAnother() {
        server = TestServer.jersey(new ResourceConfig().register(new Links()).register(ResponseCacheFeature.class))
                .filter(new ForwardedPrefixFilter(), "/*");
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        for (String prefix : new String[] {"/shop-a", "/shop-b", "/shop-a", "/shop-b"}) {
            assertEquals(prefix + "/api/links/1",
                    server.getText("/api/links/base", ForwardedPrefixFilter.HEADER, prefix).body());
        }
        HttpResponse<String> hit = server.getText("/api/links/base", ForwardedPrefixFilter.HEADER, "/shop-b");
        assertEquals("/shop-b/api/links/1 (X-Cache: HIT)", described(hit));
    }

    @Test
    void clientsThroughDifferentForwardedPrefixesNeverGetEachOthersLinksBuiltFromTheHeader() {
        server = TestServer.jersey(new ResourceConfig().register(new Links()).register(ResponseCacheFeature.class))
                .start();
        assertEquals("/shop-a/api/links/1 (X-Cache: MISS)",
                described(server.getText("/api/links/header", ForwardedPrefixFilter.HEADER, "/shop-a")));
        assertEquals("/shop-b/api/links/1 (X-Cache: MISS)",
                described(server.getText("/api/links/header", ForwardedPrefixFilter.HEADER, "/shop-b")));
        assertEquals("/api/links/1 (X-Cache: MISS)", described(server.getText("/api/links/header")));
        assertEquals("/shop-b/api/links/1 (X-Cache: HIT)",
                described(server.getText("/api/links/header", ForwardedPrefixFilter.HEADER, "/shop-b")));
    }

    @Path("links")
    public static final class Links {

        @GET
        @Path("base")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String fromBase(@Context UriInfo uri) {
            return uri.getBaseUriBuilder().path("links/1").build().getRawPath();
        }

        @GET
        @Path("header")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String fromHeader(@HeaderParam(ForwardedPrefixFilter.HEADER) String prefix) {
            return (prefix == null ? "" : prefix) + "/api/links/1";
        }
    }
}
