package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The {@code Accept} header keys a request "as sent (spaces removed)" ({@code CacheRequest.acceptAsSent}), but a space
 * inside a quoted parameter value is part of the value: {@code text/plain;profile="a b"} and
 * {@code text/plain;profile="ab"} are two media ranges, and Jersey answers each with its own type (the more specific of
 * the accepted and the produced type: {@code text/plain;profile="a b"} and {@code text/plain;profile=ab}). Both requests
 * share one key.
 *
 * <p>What the client gets: after a request with {@code profile="a b"} stored the entry, a request with
 * {@code profile="ab"} is a HIT with {@code Content-Type: text/plain;profile="a b"}. What it should get:
 * {@code Content-Type: text/plain;profile=ab}, as Jersey answers it without the cache (JSON-LD's {@code profile} is a
 * space-separated list of URIs, so such values are not made up).
 */
class AcceptParameterWithSpaceSharesAnEntryTest {

    @Path("/")
    public static class Text {
        @GET
        @Path("text")
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public String text() {
            return "text";
        }

        @GET
        @Path("uncached")
        @Produces("text/plain")
        public String uncached() {
            return "text";
        }
    }

    @Test
    void quotedParameterValuesThatDifferByASpaceAreNotOneRepresentation() {
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(Text.class)
                .register(ResponseCacheFeature.class)).start()) {
            String spaced = "text/plain;profile=\"a b\"";
            String joined = "text/plain;profile=\"ab\"";
            String withoutCache = server.get("/api/uncached", "Accept", joined).headers().firstValue("Content-Type")
                    .orElseThrow();
            assertEquals("text/plain;profile=ab", withoutCache);

            assertEquals("text/plain;profile=\"a b\"",
                    server.get("/api/text", "Accept", spaced).headers().firstValue("Content-Type").orElseThrow());
            HttpResponse<byte[]> second = server.get("/api/text", "Accept", joined);
            assertEquals(withoutCache, second.headers().firstValue("Content-Type").orElseThrow(),
                    "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));
        }
    }
}
