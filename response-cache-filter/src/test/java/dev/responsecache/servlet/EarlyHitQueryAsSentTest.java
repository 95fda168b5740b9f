package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The opt-in early hits in front of Jersey look a path up with the policy of the method that stored it: a method
 * reading its query as sent ({@code @Encoded}) is keyed so there too, and a method reading it decoded still shares
 * its entry among the spellings of one query there.
 */
class EarlyHitQueryAsSentTest {

    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig(Raw.class, Decoded.class).register(ResponseCacheFeature.class);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(app)), "/api/*");
        server = TestServer.of(context).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void encodedQueryParameterIsNotAnsweredEarlyWithAnotherSpellingsResponse() {
        assertEquals("q as sent: a%20b", server.getText("/api/raw?q=a%20b").body());
        assertEquals("HIT", cache(server.getText("/api/raw?q=a%20b")));
        HttpResponse<String> plus = server.getText("/api/raw?q=a+b");
        assertEquals("q as sent: a+b", plus.body(), "X-Cache: " + cache(plus));
        assertEquals("HIT", cache(server.getText("/api/raw?q=a+b")));
    }

    @Test
    void decodedQueryParameterIsAnsweredEarlyForAnySpelling() {
        assertEquals("q: a b", server.getText("/api/decoded?q=a%20b").body());
        HttpResponse<String> plus = server.getText("/api/decoded?q=a+b");
        assertEquals("HIT", cache(plus));
        assertEquals("q: a b", plus.body());
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

    @Path("decoded")
    public static final class Decoded {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@QueryParam("q") String q) {
            return "q: " + q;
        }
    }
}
