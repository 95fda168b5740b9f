package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.function.Function;

import org.ehcache.CacheManager;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Micrometer is optional: the library's classes with only what they need (the SLF4J API, Ehcache for the default
 * store) and no Micrometer start a cache; a registry configured there fails start-up naming the property.
 */
class WithoutMicrometerTest {

    private static URLClassLoader withoutMicrometer() {
        return new URLClassLoader(new URL[] {location(MicrometerEventsProvider.class), location(LoggerFactory.class),
            location(CacheManager.class)}, ClassLoader.getPlatformClassLoader());
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static Object start(ClassLoader loader, Map<String, Object> properties) throws Exception {
        Class<?> values = loader.loadClass(PropertyValues.class.getName());
        Object propertyValues = values.getConstructor(Function.class)
                .newInstance((Function<String, Object>) properties::get);
        Method start = loader.loadClass("dev.responsecache.core.ResponseCache").getMethod("start", values);
        // Ehcache resolves its services through the context class loader: it must see the isolated classes too.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return start.invoke(null, propertyValues);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void cacheStartsAndClosesWithoutMicrometerOnTheClassPath() throws Exception {
        try (URLClassLoader loader = withoutMicrometer()) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("io.micrometer.core.instrument.Counter"));
            Object cache = start(loader, Map.of());
            assertNotNull(cache);
            ((AutoCloseable) cache).close();
        }
    }

    @Test
    void registryConfiguredWithoutMicrometerFailsStartUpNamingTheProperty() throws Exception {
        try (URLClassLoader loader = withoutMicrometer()) {
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> start(loader, Map.of(ResponseCacheProperties.METER_REGISTRY, "a registry")));
            Throwable failure = e.getCause();
            assertEquals(ResponseCacheConfigException.class.getName(), failure.getClass().getName());
            assertTrue(failure.getMessage().startsWith("Invalid value for " + ResponseCacheProperties.METER_REGISTRY
                    + ": 'a registry'"), failure.getMessage());
            assertTrue(failure.getMessage().contains("micrometer-core"), failure.getMessage());
        }
    }
}
