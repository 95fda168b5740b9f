package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cached method that declares, in its own signature, that its answer depends on a request header or cookie
 * ({@code @HeaderParam}, {@code @CookieParam}) which its {@code varyBy} does not key: the cache can see this from the
 * method as it reads the annotation, and keys the entry on the value: one tenant's or one user's answer never reaches
 * another, and each one's own is a hit.
 */
class UnkeyedRequestParametersTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(Class<?> resource) {
        return TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class)).start();
    }

    @Test
    void headerParameterOutsideTheKeyNeverAnswersAnotherTenant() {
        server = start(TenantReport.class);
        assertEquals("report of acme", server.getText("/api/report", "X-Tenant", "acme").body());
        HttpResponse<String> globex = server.getText("/api/report", "X-Tenant", "globex");
        assertEquals("report of globex", globex.body(),
                "X-Cache: " + globex.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("HIT", server.getText("/api/report", "X-Tenant", "acme").headers().firstValue("X-Cache")
                .orElseThrow());
    }

    @Test
    void cookieParameterOutsideTheKeyNeverAnswersAnotherUser() {
        server = start(UserGreeting.class);
        assertEquals("hello alice", server.getText("/api/greeting", "Cookie", "uid=alice").body());
        HttpResponse<String> bob = server.getText("/api/greeting", "Cookie", "uid=bob");
        assertEquals("hello bob", bob.body(), "X-Cache: " + bob.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("HIT", server.getText("/api/greeting", "Cookie", "uid=alice").headers().firstValue("X-Cache")
                .orElseThrow());
    }

    @Path("report")
    public static final class TenantReport {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@HeaderParam("X-Tenant") String tenant) {
            return "report of " + tenant;
        }
    }

    @Path("greeting")
    public static final class UserGreeting {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@CookieParam("uid") String user) {
            return "hello " + user;
        }
    }
}
