package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a method can be handed the query as sent keys it as sent ({@code @Encoded} on its class or inside a
 * {@code @BeanParam}, an injected {@code UriInfo}); a method handed only decoded values keeps sharing one entry
 * among the spellings and orders of one query.
 */
class QueryReadAsSentTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig(EncodedClass.class, EncodedBean.class, RequestUri.class,
                Decoded.class).register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** The method answers with the query it sees: {@code second} must not get the answer stored for {@code first}. */
    private void assertAnsweredAsSent(String path, String first, String second) {
        assertEquals("as sent: " + first, server.getText(path + "?" + first).body());
        assertEquals("HIT", cache(server.getText(path + "?" + first)), "stored");
        HttpResponse<String> other = server.getText(path + "?" + second);
        assertEquals("as sent: " + second, other.body(), "X-Cache: " + cache(other));
    }

    @Test
    void encodedResourceClassIsNotAnsweredWithAnotherSpellingsResponse() {
        assertAnsweredAsSent("/api/encoded-class", "q=%41", "q=A");
        assertAnsweredAsSent("/api/encoded-class", "q=a%20b", "q=a+b");
    }

    @Test
    void encodedFieldOfABeanParameterIsNotAnsweredWithAnotherSpellingsResponse() {
        assertAnsweredAsSent("/api/encoded-bean", "q=%41", "q=A");
    }

    @Test
    void requestUriReaderIsNotAnsweredWithAnotherOrdersOrSpellingsResponse() {
        assertAnsweredAsSent("/api/request-uri", "a=1&b=2", "b=2&a=1");
        assertAnsweredAsSent("/api/request-uri", "q=a%20b", "q=a+b");
    }

    @Test
    void decodingMethodSharesOneEntryAmongSpellingsAndOrders() {
        assertEquals("q=A a=1", server.getText("/api/decoded?q=%41&a=1").body());
        assertEquals("HIT", cache(server.getText("/api/decoded?a=1&q=A")));
        assertEquals("q=a b a=1", server.getText("/api/decoded?q=a%20b&a=1").body());
        assertEquals("HIT", cache(server.getText("/api/decoded?a=1&q=a+b")));
    }

    @Path("encoded-class")
    @Encoded
    public static final class EncodedClass {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@QueryParam("q") String q) {
            return "as sent: q=" + q;
        }
    }

    public static final class Search {
        @Encoded
        @QueryParam("q")
        public String q;
    }

    @Path("encoded-bean")
    public static final class EncodedBean {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@BeanParam Search search) {
            return "as sent: q=" + search.q;
        }
    }

    @Path("request-uri")
    public static final class RequestUri {
        @Context
        private UriInfo uri;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get() {
            return "as sent: " + uri.getRequestUri().getRawQuery();
        }
    }

    @Path("decoded")
    public static final class Decoded {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@QueryParam("q") String q, @QueryParam("a") String a) {
            return "q=" + q + " a=" + a;
        }
    }
}
