package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.HttpMethodOverrideFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that cannot send GET (a form, a proxy that allows POST only) sends {@code POST} with
 * {@code X-HTTP-Method-Override: GET}; Jersey's {@code HttpMethodOverrideFilter} routes it to the GET method, whose
 * lookup answers it from the cache as the GET it is to the application. The servlet filter in front saw a POST and
 * evicted the path after its 200: every such read emptied the entry it was answered from, and the next GET ran the
 * method again. What the application ran decides: a POST the runtime routed as a GET leaves the entries alone; a
 * POST it ran as a POST (no override filter, or another method named) still evicts them.
 */
class MethodOverrideEvictedTheEntryItWasAnsweredFromTest {

    private final Page page = new Page();
    private TestServer server;

    private void start(boolean overrides) {
        ResourceConfig app = new ResourceConfig().register(page).register(ResponseCacheFeature.class);
        if (overrides) {
            app.register(HttpMethodOverrideFilter.class);
        }
        server = TestServer.jersey(app);
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        server.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postTheRuntimeRoutedAsAGetLeavesTheEntryItWasAnsweredFrom() {
        start(true);
        assertEquals("page 1", server.getText("/api/page").body());
        HttpResponse<byte[]> overridden = post("GET");
        assertEquals(200, overridden.statusCode());
        assertEquals("page 1", new String(overridden.body(), StandardCharsets.UTF_8));
        HttpResponse<String> after = server.getText("/api/page");
        assertEquals("HIT", after.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("page 1", after.body());
        assertEquals(1, page.reads.get());
        assertEquals(0, page.writes.get());
    }

    @Test
    void postTheRuntimeRanAsAPostStillEvicts() {
        start(false);
        assertEquals("page 1", server.getText("/api/page").body());
        assertEquals(200, post("GET").statusCode());
        assertEquals(1, page.writes.get(), "ran as the POST it was sent as");
        assertEquals("page 2", server.getText("/api/page").body());
    }

    private HttpResponse<byte[]> post(String override) {
        return server.send(server.request("/api/page").header("X-HTTP-Method-Override", override)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Path("page")
    public static final class Page {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String read() {
            return "page " + reads.incrementAndGet();
        }

        @POST
        @Produces(MediaType.TEXT_PLAIN)
        public String write() {
            writes.incrementAndGet();
            return "written";
        }
    }
}
