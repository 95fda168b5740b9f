package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad configuration and bad annotations fail when the application starts, naming what is wrong. */
class StartupValidationTest {

    static Stream<Arguments> badProperties() {
        return Stream.of(
                Arguments.of(ResponseCacheProperties.STORE, "nosuchstore"),
                Arguments.of(ResponseCacheProperties.MAX_BODY_SIZE, "-5"),
                Arguments.of(ResponseCacheProperties.MAX_BODY_SIZE, "12XB"),
                Arguments.of(ResponseCacheProperties.MAX_BODY_SIZE, "3GB"),
                Arguments.of(ResponseCacheProperties.ENABLED, "yes"),
                Arguments.of(ResponseCacheProperties.CACHEABLE_STATUSES, "200,abc"),
                Arguments.of(ResponseCacheProperties.CACHEABLE_STATUSES, "200,503"),
                Arguments.of(ResponseCacheProperties.CACHEABLE_STATUSES, "200,304"),
                Arguments.of(ResponseCacheProperties.CACHEABLE_STATUSES, "200,206"),
                Arguments.of(ResponseCacheProperties.CACHEABLE_STATUSES, "103,200"),
                Arguments.of(ResponseCacheProperties.STATUS_HEADER, "X Cache"),
                Arguments.of(ResponseCacheProperties.STATUS_HEADER, "Cache-Status"),
                Arguments.of(ResponseCacheProperties.STATUS_HEADER, "ETag"),
                Arguments.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "0"),
                Arguments.of(ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "lots"),
                Arguments.of(ResponseCacheProperties.STALE_WHILE_REVALIDATE, "-1s"),
                Arguments.of(ResponseCacheProperties.STALE_IF_ERROR, "forever"),
                Arguments.of(ResponseCacheProperties.COALESCE_LEASE, "soon"),
                Arguments.of(ResponseCacheProperties.COALESCE_LEASE, "6s"));
    }

    @ParameterizedTest
    @MethodSource("badProperties")
    void badPropertyFailsStartupNamingPropertyAndValue(String property, String value) {
        ResourceConfig app = new ResourceConfig(Cached.class).register(ResponseCacheFeature.class)
                .property(property, value);
        ResponseCacheConfigException error = JerseyStartup.error(app);
        assertTrue(error.getMessage().contains(property), error.getMessage());
        assertTrue(error.getMessage().contains(value), error.getMessage());
    }

    /** Longer than a long counts in nanoseconds: the cache's Duration.toNanos() threw an unnamed ArithmeticException. */
    @ParameterizedTest
    @ValueSource(strings = {"99999999999s", "999999999999s", "9223372037s"})
    void durationTooLongToCountInNanosecondsFailsStartupNamingPropertyAndValue(String value) {
        ResourceConfig app = new ResourceConfig(Cached.class).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COALESCE_WAIT, value);
        ResponseCacheConfigException error = JerseyStartup.error(app);
        assertTrue(error.getMessage().contains(ResponseCacheProperties.COALESCE_WAIT), error.getMessage());
        assertTrue(error.getMessage().contains(value), error.getMessage());
    }

    @Test
    void badCoalesceWaitFailsStartupWithCoalescingOffToo() {
        ResponseCacheConfigException error = JerseyStartup.error(new ResourceConfig(Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COALESCE, "false")
                .property(ResponseCacheProperties.COALESCE_WAIT, "soon"));
        assertTrue(error.getMessage().contains(ResponseCacheProperties.COALESCE_WAIT), error.getMessage());
        assertTrue(error.getMessage().contains("'soon'"), error.getMessage());
    }

    @Test
    void misspeltPropertyFailsStartupNamingItAndTheKeyMeant() {
        ResponseCacheConfigException error = JerseyStartup.error(new ResourceConfig(Cached.class)
                .register(ResponseCacheFeature.class).property("responsecache.redis.read-timout", "1s"));
        assertEquals("Unknown property responsecache.redis.read-timout in the application's properties; did you mean "
                + "responsecache.redis.read-timeout? (the known keys are the constants of "
                + "dev.responsecache.ResponseCacheProperties)",
                error.getMessage());
    }

    @Test
    void misspeltSystemPropertyFailsStartupNamingIt() {
        System.setProperty("responsecache.Enabled", "false");
        try {
            ResponseCacheConfigException error = JerseyStartup.error(
                    new ResourceConfig(Cached.class).register(ResponseCacheFeature.class));
            assertTrue(error.getMessage().startsWith("Unknown property responsecache.Enabled in system properties; "
                    + "did you mean responsecache.enabled?"), error.getMessage());
        } finally {
            System.clearProperty("responsecache.Enabled");
        }
    }

    @Test
    void systemPropertyIsReadAndChecked() {
        System.setProperty(ResponseCacheProperties.MAX_BODY_SIZE, "12XB");
        try {
            ResponseCacheConfigException error = JerseyStartup.error(
                    new ResourceConfig(Cached.class).register(ResponseCacheFeature.class));
            assertTrue(error.getMessage().contains("responsecache.max-body-size"), error.getMessage());
        } finally {
            System.clearProperty(ResponseCacheProperties.MAX_BODY_SIZE);
        }
    }

    @Test
    void nonPositiveTtlFailsStartupNamingTheMethod() {
        ResponseCacheConfigException error = JerseyStartup.error(
                new ResourceConfig(ZeroTtl.class).register(ResponseCacheFeature.class));
        assertTrue(error.getMessage().contains(ZeroTtl.class.getName() + "#get"), error.getMessage());
        assertTrue(error.getMessage().contains("ttl"), error.getMessage());
    }

    @Test
    void unknownVaryByTokenFailsStartupNamingTheMethodAndToken() {
        ResponseCacheConfigException error = JerseyStartup.error(
                new ResourceConfig(UnknownToken.class).register(ResponseCacheFeature.class));
        assertTrue(error.getMessage().contains(UnknownToken.class.getName() + "#get"), error.getMessage());
        assertTrue(error.getMessage().contains("query:page"), error.getMessage());
    }

    @Test
    void negativeStaleWindowFailsStartupNamingTheMethodTheElementAndTheValue() {
        ResponseCacheConfigException error = JerseyStartup.error(
                new ResourceConfig(NegativeStaleIfError.class).register(ResponseCacheFeature.class));
        assertEquals(NegativeStaleIfError.class.getName() + "#get: staleIfError must be between 0 and 31536000 "
                + "seconds, was -5", error.getMessage());
    }

    @Test
    void annotationOnANonGetMethodFailsStartup() {
        ResponseCacheConfigException error = JerseyStartup.error(
                new ResourceConfig(CachedPost.class).register(ResponseCacheFeature.class));
        assertTrue(error.getMessage().contains(CachedPost.class.getName() + "#post"), error.getMessage());
    }

    @Test
    void tagTemplateNamingAnUnknownPathParameterFailsStartupNamingTheMethod() {
        ResponseCacheConfigException error = JerseyStartup.error(
                new ResourceConfig(UnknownTagParameter.class).register(ResponseCacheFeature.class));
        assertTrue(error.getMessage().contains(UnknownTagParameter.class.getName() + "#get"), error.getMessage());
        assertTrue(error.getMessage().contains("product:{sku}"), error.getMessage());
    }

    @Test
    void invalidatedTagThatLooksLikeAPathFailsStartup() {
        ResponseCacheConfigException error = JerseyStartup.error(
                new ResourceConfig(PathLikeTag.class).register(ResponseCacheFeature.class));
        assertTrue(error.getMessage().contains(PathLikeTag.class.getName() + "#put"), error.getMessage());
        assertTrue(error.getMessage().contains("/products"), error.getMessage());
    }

    @Test
    void disabledCacheServesEverythingUncached() {
        ResourceConfig app = new ResourceConfig(Cached.class).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.ENABLED, "false");
        try (TestServer server = TestServer.jersey(app).start()) {
            server.getText("/api/cached");
            HttpResponse<String> second = server.getText("/api/cached");
            assertEquals(200, second.statusCode());
            assertTrue(second.headers().firstValue("X-Cache").isEmpty());
        }
    }

    @Test
    void registeringTheFeatureTwiceIsHarmless() {
        ResourceConfig app = new ResourceConfig(Cached.class).register(ResponseCacheFeature.class)
                .register(new ResponseCacheFeature());
        try (TestServer server = TestServer.jersey(app).start()) {
            server.getText("/api/cached");
            HttpResponse<String> second = server.getText("/api/cached");
            assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(1, second.headers().allValues("X-Cache").size());
        }
    }

    /**
     * A {@code coalesce-lease} longer than {@code coalesce-wait} was found only once the store was open: the store
     * (with Redis, its connections) was opened, its meters registered and the store closed again, before the start-up
     * failed; in a web application every component that tried again registered the meters again.
     */
    @Test
    void badCoalesceLeaseFailsStartupBeforeTheStoreIsOpened() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ResourceConfig app = new ResourceConfig(Cached.class).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COALESCE_LEASE, "6s")
                .property(ResponseCacheProperties.METER_REGISTRY, registry);
        ResponseCacheConfigException error = JerseyStartup.error(app);
        assertTrue(error.getMessage().contains(ResponseCacheProperties.COALESCE_LEASE), error.getMessage());
        assertEquals(List.of(), registry.getMeters().stream().map(meter -> meter.getId().getName()).toList(),
                "no store opened, so no store meter registered");
    }

    @Path("cached")
    public static class Cached {
        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "cached";
        }
    }

    @Path("zero")
    public static class ZeroTtl {
        @GET
        @CacheResponse(ttl = 0)
        public String get() {
            return "zero";
        }
    }

    @Path("token")
    public static class UnknownToken {
        @GET
        @CacheResponse(ttl = 60, varyBy = "query:page")
        public String get() {
            return "token";
        }
    }

    @Path("stale")
    public static class NegativeStaleIfError {
        @GET
        @CacheResponse(ttl = 60, staleIfError = -5)
        public String get() {
            return "stale";
        }
    }

    @Path("post")
    public static class CachedPost {
        @POST
        @CacheResponse(ttl = 60)
        public String post() {
            return "post";
        }
    }

    @Path("tagged/{id}")
    public static class UnknownTagParameter {
        @GET
        @CacheResponse(ttl = 60, tags = "product:{sku}")
        public String get() {
            return "tagged";
        }
    }

    @Path("pathlike")
    public static class PathLikeTag {
        @PUT
        @InvalidatesCache(tags = "/products")
        public void put(String body) {
        }
    }
}
