package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page that names the request's own URL in a link's query (a login or share link:
 * {@code /login?next=http%3A%2F%2Fhost%2Fpage}) names the host the request was sent to, percent-encoded. A request
 * with {@code Host: evil.example} must not make every visitor's login link send them to evil.example.
 */
class EncodedHostInBodyTest {

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

    @Test
    void pageWithThePercentEncodedRequestUrlIsNotServedToAnotherHost() {
        HttpResponse<String> crafted = server.getText("/api/page", "Host", "evil.example");
        assertEquals("<a href=\"/login?next=http%3A%2F%2Fevil.example%2Fapi%2Fpage\">log in</a>", crafted.body());
        HttpResponse<String> visitor = server.getText("/api/page", "Host", "shop.example");
        assertEquals("<a href=\"/login?next=http%3A%2F%2Fshop.example%2Fapi%2Fpage\">log in</a>", visitor.body(),
                "X-Cache: " + visitor.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("page")
    public static final class PageResource {
        @GET
        @Produces(MediaType.TEXT_HTML)
        @CacheResponse(ttl = 60)
        public String page(@Context UriInfo uri) {
            String next = URLEncoder.encode(uri.getRequestUri().toString(), StandardCharsets.UTF_8);
            return "<a href=\"/login?next=" + next + "\">log in</a>";
        }
    }
}
