package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.glassfish.jersey.server.ApplicationHandler;
import org.junit.jupiter.api.Test;

/** Start-up checks of the Redis store: each bad setting fails with a message that names it. */
class RedisStoreProviderTest {

    private final Map<String, Object> properties = new HashMap<>(Map.of(
            ResponseCacheProperties.STORE, "redis",
            ResponseCacheProperties.REDIS_URI, "redis://localhost:6379/0"));

    @Test
    void defaultsAreSmallTimeoutsAndANamespacedPrefix() {
        RedisSettings settings = RedisSettings.from(new PropertyValues(properties::get));
        assertEquals("rc:", settings.keyPrefix());
        assertEquals(64, settings.poolSize());
        assertEquals(Duration.ofMillis(200), settings.connectTimeout());
        assertEquals(Duration.ofMillis(200), settings.readTimeout());
        assertEquals(Duration.ofSeconds(1), settings.coolDown());
    }

    @Test
    void everySettingIsRead() {
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, "shop:");
        properties.put(ResponseCacheProperties.REDIS_POOL_SIZE, "4");
        properties.put(ResponseCacheProperties.REDIS_CONNECT_TIMEOUT, "50ms");
        properties.put(ResponseCacheProperties.REDIS_READ_TIMEOUT, "1s");
        properties.put(ResponseCacheProperties.REDIS_COOL_DOWN, "5s");
        RedisSettings settings = RedisSettings.from(new PropertyValues(properties::get));
        assertEquals("shop:", settings.keyPrefix());
        assertEquals(4, settings.poolSize());
        assertEquals(50, settings.connectTimeoutMillis());
        assertEquals(1000, settings.readTimeoutMillis());
        assertEquals(Duration.ofSeconds(5), settings.coolDown());
    }

    @Test
    void badSettingsFailNamingThePropertyAndValue() {
        assertBad(ResponseCacheProperties.REDIS_POOL_SIZE, "0");
        assertBad(ResponseCacheProperties.REDIS_CONNECT_TIMEOUT, "fast");
        assertBad(ResponseCacheProperties.REDIS_READ_TIMEOUT, "0ms");
        assertBad(ResponseCacheProperties.REDIS_READ_TIMEOUT, "999999999s");
        assertBad(ResponseCacheProperties.REDIS_COOL_DOWN, "-1s");
        assertBad(ResponseCacheProperties.REDIS_URI, "localhost:6379");
    }

    @Test
    void malformedUriFailsTheApplicationStartUp() {
        Throwable failure = assertThrows(RuntimeException.class,
                () -> new ApplicationHandler(RedisApps.app(new RedisResource(), "redis//localhost:6379", "rc:")));
        String messages = causes(failure);
        assertTrue(messages.contains("Invalid value for responsecache.redis.uri: 'redis//localhost:6379'"), messages);
    }

    @Test
    void unreachableRedisDoesNotFailTheStoreCreation() {
        // Port 1 on the loopback: nothing listens there, so connecting is refused at once.
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:1/0");
        try (var store = new RedisStoreProvider().create(new StoreContext(new PropertyValues(properties::get),
                Clock.systemUTC()))) {
            store.started();
            assertEquals(null, store.get("GET /anything"));
        }
    }

    @Test
    void missingJedisFailsStartUpNamingTheStoreAndTheDependency() throws Exception {
        // The library's own classes and its one required dependency (the SLF4J API), without Jedis next to them.
        URL classes = RedisStoreProvider.class.getProtectionDomain().getCodeSource().getLocation();
        URL slf4j = org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader withoutJedis = new URLClassLoader(new URL[] {classes, slf4j},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> values = withoutJedis.loadClass(PropertyValues.class.getName());
            Object propertyValues = values.getConstructor(Function.class)
                    .newInstance((Function<String, Object>) properties::get);
            Method start = withoutJedis.loadClass("dev.responsecache.core.ResponseCache").getMethod("start", values);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> start.invoke(null, propertyValues));
            Throwable failure = e.getCause();
            assertEquals(ResponseCacheConfigException.class.getName(), failure.getClass().getName());
            assertTrue(failure.getMessage().startsWith("responsecache.store=redis needs the Jedis client"),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains("redis.clients:jedis"), failure.getMessage());
        }
    }

    private void assertBad(String name, String value) {
        Map<String, Object> bad = new HashMap<>(properties);
        bad.put(name, value);
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class,
                () -> RedisSettings.from(new PropertyValues(bad::get)));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(value), e.getMessage());
    }

    private static String causes(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
