package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * RESTEasy runs a provider at the priority given at registration, 0 and below included (only -1 given as
 * {@code register(X.class, -1)} means none), unlike Jersey, which reads 0 or below as none. A response filter
 * registered at 0, or at -1 in a contract map, runs after the cache's last filter (priority 1) and may add a
 * {@code Set-Cookie} it never judges on a response without an entity (stored by that filter): the method is left
 * uncached and every visitor gets their own cookie. The -1 in a contract map was read as "no priority", the method
 * cached, and every hit carried the first visitor's cookie.
 */
class ResteasyRegistrationPriorityAtOrBelowZeroIsHonouredTest {

    /** No {@code @Priority}: only its registration places it. */
    public static final class VisitorCookie implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("Set-Cookie", "visitor=" + response.getHeaders().getFirst("X-Visit"));
        }
    }

    public static final class AtZero implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            context.register(VisitorCookie.class, 0);
            return true;
        }
    }

    public static final class AtMinusOneInAContractMap implements Feature {
        @Override
        public boolean configure(FeatureContext context) {
            context.register(VisitorCookie.class, Map.of(ContainerResponseFilter.class, -1));
            return true;
        }
    }

    @Path("/")
    public static class Visits {
        private static final AtomicInteger VISITS = new AtomicInteger();

        @GET
        @Path("visits")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public Response page() {
            int visit = VISITS.incrementAndGet();
            // No entity: the cache's last response filter stores it, and nothing of the cache's runs after it.
            return Response.ok().header("X-Visit", visit).build();
        }
    }

    public static class ZeroApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(AtZero.class, Visits.class, ResponseCacheFeature.class));
        }
    }

    public static class MinusOneApp extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(AtMinusOneInAContractMap.class, Visits.class,
                    ResponseCacheFeature.class));
        }
    }

    @Test
    void responseFilterRegisteredAtZeroRunsAfterTheCachesLastFilterAndLeavesTheMethodUncached() throws Exception {
        assertUncached(ZeroApp.class);
    }

    @Test
    void responseFilterRegisteredAtMinusOneInAContractMapRunsAtMinusOneAndLeavesTheMethodUncached() throws Exception {
        assertUncached(MinusOneApp.class);
    }

    private static void assertUncached(Class<? extends Application> application) throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(application),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(app.base().resolve("/api/visits"))
                    .timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());
            for (HttpResponse<String> page : List.of(first, second)) {
                String visit = page.headers().firstValue("X-Visit").orElseThrow();
                assertEquals(List.of("visitor=" + visit), page.headers().allValues("Set-Cookie"));
                assertNotEquals("HIT", page.headers().firstValue("X-Cache").orElse("none"));
            }
            // The method ran for each: the second visitor was not handed the first one's cookie.
            assertNotEquals(first.headers().firstValue("X-Visit"), second.headers().firstValue("X-Visit"));
        }
    }
}
