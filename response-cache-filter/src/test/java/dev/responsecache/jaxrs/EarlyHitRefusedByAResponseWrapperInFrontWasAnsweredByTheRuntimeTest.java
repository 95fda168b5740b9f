package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
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
import org.junit.jupiter.api.Test;

/**
 * A JAX-RS hit answered in front of the runtime ({@code earlyJaxrsHits}) that a response wrapper in front refuses was
 * reset and passed on "uncached" into the runtime, whose own lookup answered the same entry as a hit and met the same
 * refusal: a 500 on every hit of the entry. The runtime now looks nothing up for such a request.
 */
class EarlyHitRefusedByAResponseWrapperInFrontWasAnsweredByTheRuntimeTest {

    private final Page page = new Page();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Path("page")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Page {
        final AtomicInteger runs = new AtomicInteger();

        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "page " + runs.incrementAndGet();
        }
    }

    private void hitsAreServedUncached() {
        assertEquals("page 1", server.getText("/api/page").body());
        for (int i = 2; i <= 3; i++) {
            HttpResponse<String> again = server.getText("/api/page");
            assertEquals(200, again.statusCode(), "the hit's fault reached the client");
            assertEquals("page " + i, again.body(), "served uncached, as the method alone");
        }
    }

    @Test
    void earlyFilterHitIsServedUncached() {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new LineRefusingFilter("Age")), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(page).register(ResponseCacheFeature.class))), "/api/*");
        server = TestServer.of(context).start();
        hitsAreServedUncached();
    }
}
