package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * On RESTEasy, which configures a feature as it is registered: an application request filter above the cache's
 * default lookup priority, registered before or after the feature, global or name-bound, by {@code @Priority} or at
 * registration, runs before every hit; one at {@code Integer.MAX_VALUE}, which no lookup can follow, leaves the method
 * uncached rather than skipped.
 */
class ResteasyRequestFilterAboveTheLookupTest {

    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface KeyChecked {
    }

    /** Refuses a request without {@code X-Api-Key} with a 401. */
    public static class KeyCheck implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getHeaderString("X-Api-Key") == null) {
                request.abortWith(Response.status(401).entity("no key").build());
            }
        }
    }

    @Priority(Priorities.USER + 2000)
    public static class Late extends KeyCheck {
    }

    @KeyChecked
    @Priority(Priorities.USER + 2000)
    public static class LateBound extends KeyCheck {
    }

    @Priority(Integer.MAX_VALUE)
    public static class AtMaxValue extends KeyCheck {
    }

    /** Registers {@link KeyCheck} at exactly the cache's default lookup priority ({@code USER + 1000}). */
    public static class AtTheDefaultLookupPriority implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            context.register(KeyCheck.class, Priorities.USER + 1000);
            return true;
        }
    }

    @Path("/")
    public static class Reports {
        @GET
        @Path("report")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String report() {
            return "report";
        }

        @GET
        @Path("bound")
        @Produces("text/plain")
        @KeyChecked
        @CacheResponse(ttl = 600)
        public String bound() {
            return "bound";
        }
    }

    public static class FilterFirst extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(Late.class, Reports.class, ResponseCacheFeature.class));
        }
    }

    public static class FeatureFirst extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(ResponseCacheFeature.class, Reports.class, Late.class));
        }
    }

    public static class NameBound extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(ResponseCacheFeature.class, Reports.class, LateBound.class));
        }
    }

    public static class GivenAtRegistration extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(ResponseCacheFeature.class, Reports.class,
                    AtTheDefaultLookupPriority.class));
        }
    }

    public static class MaxValue extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(ResponseCacheFeature.class, Reports.class, AtMaxValue.class));
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void requestFilterAboveTheDefaultLookupPriorityRunsBeforeEveryHit() throws Exception {
        for (Class<? extends Application> application : List.of(FilterFirst.class, FeatureFirst.class,
                GivenAtRegistration.class)) {
            assertRejectedAfterTheEntryIsFilled(application, "/api/report", true);
        }
    }

    @Test
    void nameBoundRequestFilterAboveTheDefaultLookupPriorityRunsBeforeTheHitsOfItsMethod() throws Exception {
        assertRejectedAfterTheEntryIsFilled(NameBound.class, "/api/bound", true);
        try (Container.Deployed app = deploy(NameBound.class)) {
            get(app, "/api/report", false);
            HttpResponse<String> unbound = get(app, "/api/report", false);
            assertEquals(200, unbound.statusCode());
            assertEquals("HIT", cache(unbound), "a method the filter is not bound to is cached as before");
        }
    }

    @Test
    void requestFilterAtIntegerMaxValueLeavesTheMethodUncachedRatherThanSkipped() throws Exception {
        assertRejectedAfterTheEntryIsFilled(MaxValue.class, "/api/report", false);
    }

    private void assertRejectedAfterTheEntryIsFilled(Class<? extends Application> application, String path,
                                                     boolean cached) throws Exception {
        try (Container.Deployed app = deploy(application)) {
            assertEquals(200, get(app, path, true).statusCode(), application.getSimpleName());
            HttpResponse<String> anonymous = get(app, path, false);
            assertEquals(401, anonymous.statusCode(), application.getSimpleName() + " X-Cache: " + cache(anonymous));
            HttpResponse<String> again = get(app, path, true);
            assertEquals(200, again.statusCode());
            if (cached) {
                assertEquals("HIT", cache(again), application.getSimpleName());
            } else {
                assertNotEquals("HIT", cache(again), application.getSimpleName());
            }
        }
    }

    private static Container.Deployed deploy(Class<? extends Application> application) throws Exception {
        return new JettyEe10().deploy(new WebApp().jaxrs(application), JaxrsRuntime.resteasy());
    }

    private HttpResponse<String> get(Container.Deployed app, String path, boolean withKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve(path)).timeout(Duration.ofSeconds(30));
        if (withKey) {
            request.header("X-Api-Key", "key-1");
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }
}
