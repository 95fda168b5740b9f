package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.TestServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With {@code responsecache.enabled=false} only the store-independent basics were read: a bad tag header, Redis
 * timeout or store name passed a start-up with the cache off and failed the first one with it on. Every setting is
 * checked with the cache off too, and nothing is opened or connected to.
 */
class BadSettingsWithCacheOffFailStartupTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(ResponseCacheProperties.STORE, "reddis"),
                Arguments.of(ResponseCacheProperties.TAG_HEADER, "X Tags"),
                Arguments.of(ResponseCacheProperties.HEURISTIC_TTL, "a while"),
                Arguments.of(ResponseCacheProperties.MAX_VARIANTS, "999"),
                Arguments.of(ResponseCacheProperties.COMPRESS, "brotli"),
                Arguments.of(ResponseCacheProperties.ADMISSION, "sometimes"),
                Arguments.of(ResponseCacheProperties.STORE_BUDGET, "cheap"),
                Arguments.of(ResponseCacheProperties.STALE_IF_ERROR_DEADLINE, "-1s"),
                Arguments.of(ResponseCacheProperties.COALESCE_LEASE, "6s"),
                Arguments.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "0"),
                Arguments.of(ResponseCacheProperties.REDIS_READ_TIMEOUT, "soon"),
                Arguments.of(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "many"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void badSettingFailsStartupWithTheCacheOff(String property, String value) {
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.ENABLED, "false")
                .property(property, value);
        String messages = JerseyOnJetty.messages(assertThrows(Exception.class,
                () -> JerseyOnJetty.start(app, Map.of()).close()));
        assertTrue(messages.contains(property) && messages.contains(value), messages);
    }

    /**
     * The meter registry was checked only once the store was open, so a value that is no registry (a string in a
     * context-param, say) passed a start-up with the cache off.
     */
    @Test
    void meterRegistryThatIsNoRegistryFailsStartupWithTheCacheOff() {
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.ENABLED, "false")
                .property(ResponseCacheProperties.METER_REGISTRY, "prometheus");
        String messages = JerseyOnJetty.messages(assertThrows(Exception.class,
                () -> JerseyOnJetty.start(app, Map.of()).close()));
        assertTrue(messages.contains(ResponseCacheProperties.METER_REGISTRY) && messages.contains("'prometheus'"),
                messages);
    }

    /**
     * A TLS store password given without its store failed the start-up with the cache on and passed with it off (or
     * with another store in use): a {@code rediss://} URI's material was not looked at at all where its files are not
     * read. The password's store is named without reading any file.
     */
    @Test
    void redisStorePasswordWithoutItsStorePassedWithTheCacheOff() {
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.ENABLED, "false")
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, "rediss://cache.invalid:6380")
                .property(ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD, "changeit");
        String messages = JerseyOnJetty.messages(assertThrows(Exception.class,
                () -> JerseyOnJetty.start(app, Map.of()).close()));
        assertTrue(messages.contains(ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD + " is set but "
                + ResponseCacheProperties.REDIS_KEY_STORE + " is not"), messages);
    }

    /** Off means off: the Redis store is checked but not opened, so an address where nothing listens is fine. */
    @Test
    void redisStoreWithTheCacheOffStartsWithoutConnectingAndServesUncached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.ENABLED, "false")
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:" + closedPort)
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "150ms");
        try (TestServer server = JerseyOnJetty.start(app, Map.of())) {
            HttpResponse<String> response = server.getText("/api/cached");
            assertEquals("cached", response.body());
            assertTrue(response.headers().firstValue("X-Cache").isEmpty());
        }
    }
}
