package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;

import java.util.ArrayList;
import java.util.List;

import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.internal.inject.Providers;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.junit.jupiter.api.Test;

/**
 * To count a stale-while-revalidate refresh run inline that threw an exception no mapper handles, the cache registered
 * a Jersey {@code ApplicationEventListener} wherever no filter in front runs refreshes: outside a servlet container,
 * and in one without the library's initializer. With any such listener Jersey builds a request event at every stage of
 * every request (about 400 B more per hit and 650 B per uncached GET, {@code RequestEventCost} in the benchmarks), for
 * a failure that is rare. Now only the inline refresh's own request is watched, through its response writer: the
 * application has no listener of the cache's, so Jersey builds no events. What it counts:
 * {@code InlineRefreshThatThrewWasNotCountedAsAFailedRefreshTest}.
 */
class EveryJerseyGetBuiltRequestEventsToCountInlineRefreshFailuresTest {

    @Path("item")
    public static final class StaleWhileRevalidateResource {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String item() {
            return "item";
        }
    }

    /** Keeps the application's injection manager, where Jersey finds the listeners it notifies. */
    private static final class ListenersSeen implements Feature {
        private InjectionManager injectionManager;

        @Override
        public boolean configure(FeatureContext context) {
            injectionManager = InjectionManagerProvider.getInjectionManager(context);
            return true;
        }

        /** The listeners Jersey builds request events for, as it asks for them when the application starts. */
        List<ApplicationEventListener> listeners() {
            List<ApplicationEventListener> listeners = new ArrayList<>();
            Providers.getAllProviders(injectionManager, ApplicationEventListener.class).forEach(listeners::add);
            return listeners;
        }
    }

    @Test
    void outsideAServletContainerJerseyHasNoListenerToBuildEventsFor() throws Exception {
        ListenersSeen seen = new ListenersSeen();
        ApplicationHandler handler = new ApplicationHandler(new ResourceConfig()
                .register(new StaleWhileRevalidateResource()).register(ResponseCacheFeature.class).register(seen));
        try {
            assertEquals(List.of(), seen.listeners());
        } finally {
            handler.onShutdown(null);
        }
    }

    @Test
    void inAServletContainerWithoutTheInitializerJerseyHasNoListenerToBuildEventsFor() {
        ListenersSeen seen = new ListenersSeen();
        ResourceConfig config = new ResourceConfig().register(new StaleWhileRevalidateResource())
                .register(ResponseCacheFeature.class).register(seen);
        try (TestServer server = TestServer.jersey(config).start()) {
            assertEquals("item", server.getText("/api/item").body());
            assertEquals(List.of(), seen.listeners());
        }
    }

    /** The probe itself: a listener the application registers is one Jersey notifies, and it is seen. */
    @Test
    void aListenerTheApplicationRegistersIsSeen() throws Exception {
        ListenersSeen seen = new ListenersSeen();
        JerseyEntries entries = new JerseyEntries();
        ApplicationHandler handler = new ApplicationHandler(new ResourceConfig()
                .register(new StaleWhileRevalidateResource()).register(ResponseCacheFeature.class).register(seen)
                .register(entries));
        try {
            assertEquals(List.of(entries), seen.listeners());
        } finally {
            handler.onShutdown(null);
        }
    }
}
