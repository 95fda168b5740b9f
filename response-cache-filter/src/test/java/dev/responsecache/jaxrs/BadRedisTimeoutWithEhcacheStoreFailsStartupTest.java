package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;

import java.util.Map;
import java.util.stream.Stream;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The settings of the parts the embedded store does not use (the Redis store, the near tier) were not read with
 * {@code store=ehcache}, so a bad Redis timeout kept in a configuration shared with production passed every
 * development start-up and failed only where Redis was used. They are checked whatever the store.
 */
class BadRedisTimeoutWithEhcacheStoreFailsStartupTest {

    static Stream<Arguments> badUnusedSettings() {
        return Stream.of(
                Arguments.of(ResponseCacheProperties.REDIS_READ_TIMEOUT, "soon"),
                Arguments.of(ResponseCacheProperties.REDIS_CONNECT_TIMEOUT, "99999999s"),
                Arguments.of(ResponseCacheProperties.REDIS_COOL_DOWN, "0"),
                Arguments.of(ResponseCacheProperties.REDIS_SLOW_CALL, "-5ms"),
                Arguments.of(ResponseCacheProperties.REDIS_POOL_SIZE, "0"),
                Arguments.of(ResponseCacheProperties.REDIS_URI, "http://cache:6379"),
                Arguments.of(ResponseCacheProperties.REDIS_TOPOLOGY, "ring"),
                Arguments.of(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "-1"),
                Arguments.of(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, "lots"));
    }

    @ParameterizedTest
    @MethodSource("badUnusedSettings")
    void badSettingOfAPartTheEhcacheStoreDoesNotUseFailsStartupNamingPropertyAndValue(String property,
                                                                                    String value) {
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "ehcache")
                .property(property, value);
        String messages = JerseyOnJetty.messages(assertThrows(Exception.class,
                () -> JerseyOnJetty.start(app, Map.of()).close()));
        assertTrue(messages.contains(property) && messages.contains(value), messages);
    }

    @ParameterizedTest
    @MethodSource("badUnusedSettings")
    void badSettingAsAContextParamFailsStartupToo(String property, String value) {
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class);
        String messages = JerseyOnJetty.messages(assertThrows(Exception.class,
                () -> JerseyOnJetty.start(app, Map.of(property, value)).close()));
        assertTrue(messages.contains(property) && messages.contains(value), messages);
    }
}
