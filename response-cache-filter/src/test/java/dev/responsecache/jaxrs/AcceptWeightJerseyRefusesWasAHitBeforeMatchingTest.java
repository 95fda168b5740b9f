package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey reads every weight of {@code Accept} as it matches and refuses the request with a 400 when one is not an RFC
 * 9110 {@code qvalue} ({@code q=1.5}, {@code q=0.12345}, {@code q=NaN}). The hits answered before matching (in the
 * runtime, in front of its servlet, in the opt-in early filter) read the weight as any decimal Java reads and answered
 * such a request for a method producing one type with the stored 200. Each now leaves it to the runtime.
 */
class AcceptWeightJerseyRefusesWasAHitBeforeMatchingTest {

    private static final List<String> UNREADABLE = List.of("text/plain;q=1.5", "*/*;q=2", "text/plain;q=0.12345",
            "text/plain;q=NaN", "text/plain;q=1e0", "text/plain;q=0.5, text/html;q=1.5");

    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ResourceConfig app() {
        return new ResourceConfig().register(PlainText.class).register(entries).register(ResponseCacheFeature.class);
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private void weightsJerseyCannotReadAreRefusedAsWithoutTheCache(boolean answeredInFrontOfJersey) {
        assertEquals("MISS", cacheHeader(server.getText("/api/notes")));
        HttpResponse<String> hit = server.getText("/api/notes", "Accept", "text/plain;q=0.5");
        assertEquals("HIT", cacheHeader(hit));
        if (answeredInFrontOfJersey) {
            assertEquals(1, entries.count(), "the hit was answered in front of Jersey");
        }
        for (String accept : UNREADABLE) {
            HttpResponse<String> refused = server.getText("/api/notes", "Accept", accept);
            assertEquals(400, refused.statusCode(), accept + ", X-Cache: " + cacheHeader(refused));
        }
    }

    @Test
    void beforeMatching() {
        server = TestServer.jersey(app()).start();
        weightsJerseyCannotReadAreRefusedAsWithoutTheCache(false);
    }

    @Test
    void inFrontOfTheRuntimesServlet() {
        server = TestServer.jersey(app());
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        weightsJerseyCannotReadAreRefusedAsWithoutTheCache(true);
    }

    @Test
    void inTheEarlyFilter() {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(app())), "/api/*");
        server = TestServer.of(context).start();
        weightsJerseyCannotReadAreRefusedAsWithoutTheCache(true);
    }

    @Path("notes")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class PlainText {
        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "a note";
        }
    }
}
