package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JAX-RS side of {@code servlet.RepeatedKeyedRequestPartsTest}: a {@code varyBy} cookie sent twice, or header
 * sent on two lines, is read by the method through Jersey's own parsing ({@code @CookieParam}, {@code @HeaderParam}:
 * the first line), and never shares the entry of a request that sends one value.
 */
class RepeatedKeyedRequestPartsJaxrsTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(PageResource.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String xCache(HttpResponse<?> response) {
        return "X-Cache: " + response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void keyedCookieSentTwiceNeverSharesTheEntryOfEitherValueAlone() {
        String crafted = server.getText("/api/page/cookie", "Cookie", "lang=de; lang=fr").body();
        for (String lang : new String[] {"de", "fr"}) {
            HttpResponse<String> plain = server.getText("/api/page/cookie", "Cookie", "lang=" + lang);
            assertEquals("page in " + lang, plain.body(), xCache(plain) + " after '" + crafted + "'");
        }
    }

    @Test
    void keyedHeaderOnTwoLinesNeverSharesTheEntryOfItsLinesJoined() throws Exception {
        HttpResponse<byte[]> crafted = server.send(server.request("/api/page/header").GET()
                .header("X-Tenant", "acme").header("X-Tenant", "globex").build());
        assertEquals("tenant acme", new String(crafted.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> plain = server.send(server.request("/api/page/header").GET()
                .header("X-Tenant", "acme,globex").build());
        assertEquals("tenant acme,globex", new String(plain.body(), StandardCharsets.UTF_8), xCache(plain));
    }

    @Path("page")
    public static final class PageResource {
        @GET
        @Path("cookie")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:lang")
        public String byCookie(@CookieParam("lang") @DefaultValue("en") String lang) {
            return "page in " + lang;
        }

        @GET
        @Path("header")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "header:X-Tenant")
        public String byHeader(@HeaderParam("X-Tenant") String tenant) {
            return "tenant " + tenant;
        }
    }
}
