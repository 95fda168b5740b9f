package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Application;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * On RESTEasy, which configures a feature as it is registered: an application response filter at
 * {@code Integer.MAX_VALUE}, registered before or after the feature, ties with the cache's first response filter and
 * fails the start-up naming it; one just below adds its header once to hits as to misses.
 */
class ResteasyResponseFilterPriorityTieTest {

    @Priority(Integer.MAX_VALUE)
    public static final class AtMaxValue implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Trace", "app");
        }
    }

    @Priority(Integer.MAX_VALUE - 1)
    public static final class JustBelow implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Trace", "app");
        }
    }

    @Path("/")
    public static class Traced {
        @GET
        @Path("traced")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String get() {
            return "traced";
        }
    }

    public static class FilterFirst extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(AtMaxValue.class, Traced.class, ResponseCacheFeature.class));
        }
    }

    public static class FeatureFirst extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(ResponseCacheFeature.class, Traced.class, AtMaxValue.class));
        }
    }

    public static class Below extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return new LinkedHashSet<>(List.of(ResponseCacheFeature.class, Traced.class, JustBelow.class));
        }
    }

    @Test
    void responseFilterTyingWithTheCachesFirstResponseFilterFailsTheStartUpNamingIt() {
        for (Class<? extends Application> application : List.of(FilterFirst.class, FeatureFirst.class)) {
            Exception thrown = assertThrows(Exception.class,
                    () -> new JettyEe10().deploy(new WebApp().jaxrs(application), JaxrsRuntime.resteasy()).close(),
                    application.getSimpleName());
            ResponseCacheConfigException error = configError(thrown);
            assertTrue(error.getMessage().contains(AtMaxValue.class.getName()), error.getMessage());
        }
    }

    @Test
    void responseFilterJustBelowTheCachesFirstOneAddsItsHeaderOnceToHitsAsToMisses() throws Exception {
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(Below.class),
                JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(app.base().resolve("/api/traced"))
                    .timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> miss = client.send(request, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> hit = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of("app"), miss.headers().allValues("X-Trace"));
            assertEquals(List.of("app"), hit.headers().allValues("X-Trace"));
        }
    }

    private static ResponseCacheConfigException configError(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseCacheConfigException config) {
                return config;
            }
        }
        throw new AssertionError("start-up failed without naming the filter", thrown);
    }
}
