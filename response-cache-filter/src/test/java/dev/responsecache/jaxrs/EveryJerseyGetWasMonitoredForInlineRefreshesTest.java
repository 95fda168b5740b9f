package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;

import java.net.URI;
import java.util.List;

import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.internal.monitoring.RequestEventImpl;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.junit.jupiter.api.Test;

/**
 * Without the library's filter in front of Jersey, {@link JerseyRefreshFailures} counts a refresh run inline that
 * threw. It watched every GET of every application so served: Jersey then builds and delivers an event at each stage
 * of the request (matching, filters, method, writing), a cost on every hit and miss, also where no cached method
 * answers stale, so that no refresh ever runs. It now watches only where a method bound may refresh after a stale
 * answer. Real Jersey on Jetty; the listener is the one the feature registered, asked by Jersey's own start event.
 */
class EveryJerseyGetWasMonitoredForInlineRefreshesTest {

    @Path("plain")
    public static final class PlainResource {
        Configuration configuration;

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public String plain(@Context Configuration configuration) {
            this.configuration = configuration;
            return "plain";
        }
    }

    @Path("refreshed")
    public static final class RefreshedResource {
        Configuration configuration;

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String refreshed(@Context Configuration configuration) {
            this.configuration = configuration;
            return "refreshed";
        }
    }

    /** The listener the feature registered in the application's runtime configuration. */
    private static JerseyRefreshFailures listener(Configuration configuration) {
        List<JerseyRefreshFailures> found = configuration.getInstances().stream()
                .filter(JerseyRefreshFailures.class::isInstance).map(JerseyRefreshFailures.class::cast).toList();
        assertEquals(1, found.size(), "registered once, without a runner in front");
        return found.get(0);
    }

    private static RequestEvent getStarting(String path, Configuration configuration) {
        ContainerRequest request = new ContainerRequest(URI.create("http://localhost/api/"),
                URI.create("http://localhost/api/" + path), "GET", null, new MapPropertiesDelegate(), configuration);
        return new RequestEventImpl.Builder().setContainerRequest(request).build(RequestEvent.Type.START);
    }

    @Test
    void noGetIsWatchedWhereNoCachedMethodAnswersStale() {
        PlainResource resource = new PlainResource();
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class)).start()) {
            assertEquals("plain", server.getText("/api/plain").body());
            JerseyRefreshFailures listener = listener(resource.configuration);
            assertNull(listener.onRequest(getStarting("plain", resource.configuration)),
                    "no refresh can run: Jersey need not build the request's events");
        }
    }

    @Test
    void getsAreWatchedWhereACachedMethodAnswersStaleWhileRevalidating() {
        RefreshedResource resource = new RefreshedResource();
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class)).start()) {
            assertEquals("refreshed", server.getText("/api/refreshed").body());
            JerseyRefreshFailures listener = listener(resource.configuration);
            assertSame(listener, listener.onRequest(getStarting("refreshed", resource.configuration)));
        }
    }
}
