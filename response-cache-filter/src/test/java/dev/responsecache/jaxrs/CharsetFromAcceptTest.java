package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey takes the charset of the response from the {@code Accept} range it negotiated
 * ({@code Accept: text/plain;charset=UTF-16} gets {@code text/plain;charset=UTF-16} and UTF-16 bytes from the built-in
 * String writer). A method producing one type keys every request on that type alone, so one such request must not
 * choose the charset everyone else gets.
 */
class CharsetFromAcceptTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(TextResource.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void charsetOneRequestAskedForIsNotServedToARequestThatAskedForAnother() {
        HttpResponse<byte[]> utf16 = server.get("/api/text", "Accept", "text/plain;charset=UTF-16");
        assertEquals("text/plain;charset=UTF-16", utf16.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> utf8 = server.get("/api/text", "Accept", "text/plain;charset=UTF-8");
        String cache = "X-Cache: " + utf8.headers().firstValue("X-Cache").orElse("none");
        // Jetty writes the UTF-8 type in lower case (its own constant); a charset's name is case-insensitive.
        assertEquals("text/plain;charset=utf-8",
                utf8.headers().firstValue("Content-Type").orElseThrow().toLowerCase(java.util.Locale.ROOT), cache);
        assertArrayEquals("caf\u00e9".getBytes(StandardCharsets.UTF_8), utf8.body(), cache);
    }

    @Path("text")
    public static final class TextResource {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public String text() {
            return "caf\u00e9";
        }
    }
}
