package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.hk2.utilities.binding.AbstractBinder;
import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.internal.inject.CompositeBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hit is answered before the runtime matches the request only where no filter of the application could have run:
 * an authentication filter, a filter a dynamic feature binds to the method, a possible session, or a representation
 * the runtime would refuse each send the request through matching and the method's own lookup, as before.
 */
class PreMatchingHitsTest {

    private final CountingResource resource = new CountingResource();
    private final Matchings matchings = new Matchings();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Object... components) {
        ResourceConfig app = new ResourceConfig().register(resource).register(matchings)
                .register(ResponseCacheFeature.class);
        for (Object component : components) {
            if (component instanceof Class<?> type) {
                app.register(type);
            } else {
                app.register(component);
            }
        }
        server = TestServer.jersey(app).start();
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void hitOnAnApplicationWithoutFiltersIsAnsweredBeforeMatching() {
        start();
        HttpResponse<String> miss = server.getText("/api/items/1");
        HttpResponse<String> hit = server.getText("/api/items/1");
        assertEquals("MISS", cacheHeader(miss));
        assertEquals("HIT", cacheHeader(hit));
        assertEquals(miss.body(), hit.body());
        assertEquals(miss.headers().firstValue("Content-Type"), hit.headers().firstValue("Content-Type"));
        assertEquals(1, matchings.count.get(), "only the miss went through matching");
    }

    @Test
    void applicationAuthFilterIsNeverBypassedByAPreMatchingHit() {
        start(CredentialsTest.TokenFilter.class);
        server.getText("/api/everyone", "Authorization", "Token alice");
        assertEquals("HIT", cacheHeader(server.getText("/api/everyone", "Authorization", "Token bob")));
        HttpResponse<String> rejected = server.getText("/api/everyone", "Authorization", "Token mallory");
        assertEquals(403, rejected.statusCode());
        assertEquals(1, resource.calls.get());
        assertEquals(3, matchings.count.get(), "every request went through matching and the application's filter");
    }

    @Test
    void filterBoundToTheMethodByADynamicFeatureIsNeverBypassed() {
        start(DenyingFeature.class);
        server.getText("/api/items/2");
        assertEquals("HIT", cacheHeader(server.getText("/api/items/2")));
        HttpResponse<String> denied = server.getText("/api/items/2", "X-Deny", "yes");
        assertEquals(403, denied.statusCode());
        assertEquals(3, matchings.count.get());
    }

    @Test
    void requestThatMayNameASessionGoesThroughMatching() {
        start();
        server.getText("/api/items/3");
        HttpResponse<String> withCookie = server.getText("/api/items/3", "Cookie", "theme=dark");
        assertEquals("HIT", cacheHeader(withCookie));
        assertEquals(2, matchings.count.get(), "a cookie may be the container's session: the method's lookup decides");
    }

    @Test
    void acceptTheMethodCannotProduceIsLeftToTheRuntime() {
        start();
        server.getText("/api/items/4");
        HttpResponse<String> refused = server.getText("/api/items/4", "Accept", "text/html");
        assertEquals(406, refused.statusCode(), "the runtime refuses it; the stored JSON is not handed out");
        assertEquals(2, matchings.count.get());
    }

    /**
     * A peek that missed and the method's lookup behind it key the request alike: each varied header and
     * representation is stored and answered apart.
     */
    @Test
    void missPeekedBeforeMatchingIsStoredUnderItsOwnVariantsKey() {
        start();
        server.getText("/api/language", "Accept-Language", "fr");
        HttpResponse<String> french = server.getText("/api/language?v=1", "Accept-Language", "fr");
        HttpResponse<String> german = server.getText("/api/language?v=1", "Accept-Language", "de");
        assertEquals("MISS", cacheHeader(french), "peeked before matching (the path is known), then stored");
        assertEquals("MISS", cacheHeader(german), "another language is another key");
        assertEquals(french.body(), server.getText("/api/language?v=1", "Accept-Language", "fr").body());
        assertEquals(german.body(), server.getText("/api/language?v=1", "Accept-Language", "de").body());
        server.getText("/api/negotiated", "Accept", "application/json");
        HttpResponse<String> json = server.getText("/api/negotiated?v=1", "Accept", "application/json");
        HttpResponse<String> text = server.getText("/api/negotiated?v=1", "Accept", "text/plain");
        assertEquals("MISS", cacheHeader(text), "another representation is another key");
        assertEquals(json.body(), server.getText("/api/negotiated?v=1", "Accept", "application/json").body());
        assertEquals(text.body(), server.getText("/api/negotiated?v=1", "Accept", "text/plain").body());
        assertEquals(6, resource.calls.get(), "two misses per path for a new query, none for the hits");
        assertEquals(6, matchings.count.get(), "the hits were answered before matching");
    }

    @Test
    void authFilterBoundByAnInjectionBinderIsNeverBypassedByAPreMatchingHit() {
        start(new UserFilterBinder());
        assertUserFilterRefusesAnonymousRequestsToCachedEntries("the configuration lists the binder, not its filter");
        assertEquals(1, resource.calls.get());
    }

    @Test
    void authFilterAFeatureHandsToJerseysInjectionManagerIsNeverBypassedByAPreMatchingHit() {
        start(InjectedUserFilterFeature.class);
        assertUserFilterRefusesAnonymousRequestsToCachedEntries("the configuration lists only the feature");
    }

    @Test
    void authFilterInAJerseyCompositeBinderIsNeverBypassedByAPreMatchingHit() {
        start(CompositeBinder.wrap(new org.glassfish.jersey.internal.inject.AbstractBinder() {
            @Override
            protected void configure() {
                bind(UserFilter.class).to(ContainerRequestFilter.class).in(Singleton.class);
            }
        }));
        assertUserFilterRefusesAnonymousRequestsToCachedEntries("a binder of Jersey's type carries the app's");
    }

    @Test
    void authFilterRegisteredByAFeatureIsNeverBypassedByAPreMatchingHit() {
        start(UserFilterFeature.class);
        assertUserFilterRefusesAnonymousRequestsToCachedEntries("the feature's filter is in the configuration");
    }

    /** A hit for bob, then an anonymous request: {@link UserFilter} must still see (and refuse) it. */
    private void assertUserFilterRefusesAnonymousRequestsToCachedEntries(String how) {
        server.getText("/api/everyone", "X-User", "bob");
        assertEquals("HIT", cacheHeader(server.getText("/api/everyone", "X-User", "bob")));
        assertEquals(401, server.getText("/api/everyone").statusCode(), how);
        assertEquals(3, matchings.count.get(), "every request went through matching and the filter");
    }

    @Test
    void missBehindAFilterBoundByAnInjectionBinderIsKeyedOnItsOwnUser() {
        start(new UserFilterBinder());
        server.getText("/api/me", "X-User", "bob");
        HttpResponse<String> bob = server.getText("/api/me?x=1", "X-User", "bob");
        HttpResponse<String> alice = server.getText("/api/me?x=1", "X-User", "alice");
        assertEquals("hello bob 2", bob.body());
        assertEquals("hello alice 3", alice.body(), "the user is set after matching: bob's entry is not alice's");
        assertEquals("HIT", cacheHeader(server.getText("/api/me?x=1", "X-User", "alice")));
    }

    /** Counts the requests the runtime matched to a resource method (a pre-matching answer skips it). */
    public static final class Matchings implements ApplicationEventListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onEvent(ApplicationEvent event) {
            // only requests matter
        }

        @Override
        public RequestEventListener onRequest(RequestEvent start) {
            return event -> {
                if (event.getType() == RequestEvent.Type.MATCHING_START) {
                    count.incrementAndGet();
                }
            };
        }
    }

    /** Binds a filter that refuses requests with {@code X-Deny} to every resource method, as security features do. */
    public static final class DenyingFeature implements DynamicFeature {
        @Override
        public void configure(ResourceInfo resourceInfo, FeatureContext context) {
            context.register(new DenyingFilter());
        }
    }

    /**
     * Binds {@link UserFilter} in the injection manager, as applications that configure their services through HK2
     * bind their authentication: the runtime's configuration lists the binder, not the filter it binds.
     */
    static final class UserFilterBinder extends AbstractBinder {
        @Override
        protected void configure() {
            bind(UserFilter.class).to(ContainerRequestFilter.class).in(Singleton.class);
        }
    }

    /** Registers {@link UserFilter}, as authentication libraries ship their filters inside a feature. */
    public static final class UserFilterFeature implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            context.register(UserFilter.class);
            return true;
        }
    }

    /**
     * Hands {@link UserFilter} to Jersey's injection manager itself, as some authentication libraries do: nothing
     * but the feature is in the runtime's configuration.
     */
    public static final class InjectedUserFilterFeature implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            InjectionManagerProvider.getInjectionManager(context).register(new UserFilterBinder());
            return true;
        }
    }

    /** Authenticates by {@code X-User} (after matching, as a post-matching filter), refusing requests without it. */
    public static final class UserFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String user = request.getHeaderString("X-User");
            if (user == null) {
                request.abortWith(Response.status(401).build());
                return;
            }
            request.setSecurityContext(new CredentialsTest.User(user));
        }
    }

    private static final class DenyingFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getHeaderString("X-Deny") != null) {
                request.abortWith(Response.status(403).build());
            }
        }
    }
}
