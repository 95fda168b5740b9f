package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The header token added at start-up to the policy of a method reading {@code @HeaderParam} outside its
 * {@code varyBy} keys the early hits in front of Jersey as it keys the method's own lookup: one tenant's entry is
 * answered there to that tenant only.
 */
class EarlyHitHeaderParamKeyTest {

    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig(TenantReport.class).register(ResponseCacheFeature.class)
                .register(EarlyHitsTest.EnteredJersey.class);
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

    private int enteredJersey() {
        AtomicInteger count = (AtomicInteger) server.context().getServletContext().getAttribute("entered-jersey");
        return count == null ? 0 : count.get();
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void tenantHeaderReadByTheMethodKeysTheEarlyHits() {
        assertEquals("report of acme", server.getText("/api/report", "X-Tenant", "acme").body());
        HttpResponse<String> hit = server.getText("/api/report", "X-Tenant", "acme");
        assertEquals("HIT", cache(hit));
        assertEquals(1, enteredJersey(), "the hit answered in front of Jersey");
        HttpResponse<String> globex = server.getText("/api/report", "X-Tenant", "globex");
        assertEquals("report of globex", globex.body(), "X-Cache: " + cache(globex));
        assertEquals(2, enteredJersey());
        HttpResponse<String> none = server.getText("/api/report");
        assertEquals("report of null", none.body(), "X-Cache: " + cache(none));
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
}
