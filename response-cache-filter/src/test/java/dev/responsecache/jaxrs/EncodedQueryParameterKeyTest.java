package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key decodes query parameters ({@code %41} and {@code A}, {@code +} and {@code %20} share an entry) on the
 * ground that the method sees the same value; a method whose parameter is {@code @Encoded} sees the value as sent,
 * and answers the two spellings differently: each must get its own answer.
 */
class EncodedQueryParameterKeyTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Raw.class).register(ResponseCacheFeature.class))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void encodedQueryParameterSpelledOtherwiseIsNotAnsweredWithTheFirstSpellingsResponse() {
        assertEquals("q as sent: %41", server.getText("/api/raw?q=%41").body());
        HttpResponse<String> plain = server.getText("/api/raw?q=A");
        assertEquals("q as sent: A", plain.body(), "X-Cache: " + plain.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void encodedQueryParameterWithPlusIsNotAnsweredWithThePercentTwentyResponse() {
        assertEquals("q as sent: a%20b", server.getText("/api/raw?q=a%20b").body());
        HttpResponse<String> plus = server.getText("/api/raw?q=a+b");
        assertEquals("q as sent: a+b", plus.body(), "X-Cache: " + plus.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("raw")
    public static final class Raw {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@Encoded @QueryParam("q") String q) {
            return "q as sent: " + q;
        }
    }
}
