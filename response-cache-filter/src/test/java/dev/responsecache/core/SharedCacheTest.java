package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.LogCapture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** How components that see configuration from different places share one application cache. */
class SharedCacheTest {

    private final MapScope scope = new MapScope("/shop");

    @Test
    void settingGivenByTheJoiningComponentAndAbsentForTheOpenerIsTakenNotAConflict() {
        // The servlet filter opens the cache from context-params; the JAX-RS feature adds an application property.
        SharedCache.Membership filter = SharedCache.joinFollowing(scope, properties(Map.of()));
        ResponseCache openedByFilter = filter.cache();
        SharedCache.Membership feature = SharedCache.join(scope,
                properties(Map.of(ResponseCacheProperties.MAX_BODY_SIZE, "256KB")));

        assertEquals(256 * 1024, feature.cache().settings().maxBodyBytes());
        assertSame(feature.cache(), filter.cache(), "the filter follows the cache opened with both settings");
        assertNotSame(openedByFilter, filter.cache());
        assertEquals(2, SharedCache.members(scope));
        feature.close();
        filter.close();
        assertEquals(0, SharedCache.members(scope));
    }

    /**
     * A cache opened again with a setting the JAX-RS application added logged a second "Response cache on" line, as if
     * the application had two caches; the second line now says it was reopened, for which application, and what
     * changed.
     */
    @Test
    void reopenedCacheLogsThatItWasReopenedAndWhatChangedNotASecondCacheOn() {
        Logger logger = Logger.getLogger("dev.responsecache");
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            SharedCache.Membership filter = SharedCache.joinFollowing(scope, properties(Map.of()));
            SharedCache.Membership feature = SharedCache.join(scope,
                    properties(Map.of(ResponseCacheProperties.MAX_BODY_SIZE, "512KB")));
            List<String> lines = log.messagesAtLeast(Level.INFO).stream()
                    .filter(line -> line.startsWith("Response cache ")).toList();
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(0).startsWith("Response cache on: store=ehcache, max-body-size=1048576 bytes"),
                    lines.get(0));
            assertTrue(lines.get(1).startsWith("Response cache reopened for application '/shop' with settings another"
                    + " component added: responsecache.max-body-size default -> 512KB; now store=ehcache,"
                    + " max-body-size=524288 bytes"), lines.get(1));
            assertEquals(1, lines.stream().filter(line -> line.startsWith("Response cache on")).count());
            feature.close();
            filter.close();
        } finally {
            logger.setLevel(level);
        }
    }

    /**
     * A setting with no effect on the store in use was warned of again when another component's setting reopened the
     * cache: two warnings of one setting, where one is promised. A setting the reopening adds is still named.
     */
    @Test
    void reopenedCacheWarnsOnlyOfSettingsWithNoEffectItAdded() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            SharedCache.Membership filter = SharedCache.joinFollowing(scope,
                    properties(Map.of(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")));
            SharedCache.Membership feature = SharedCache.join(scope,
                    properties(Map.of(ResponseCacheProperties.MAX_BODY_SIZE, "512KB")));
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES), warnings.get(0));
            feature.close();
            filter.close();
        }
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            MapScope other = new MapScope("/shop");
            SharedCache.Membership filter = SharedCache.joinFollowing(other, SharedCache.properties(other,
                    Map.<String, Object>of(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")::get, name -> null));
            SharedCache.Membership feature = SharedCache.join(other, SharedCache.properties(other,
                    Map.<String, Object>of(ResponseCacheProperties.REDIS_READ_TIMEOUT, "150ms")::get, name -> null));
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(2, warnings.size(), warnings::toString);
            assertTrue(warnings.get(1).contains(ResponseCacheProperties.REDIS_READ_TIMEOUT), warnings.get(1));
            feature.close();
            filter.close();
        }
    }

    @Test
    void settingAbsentForTheJoiningComponentKeepsTheOpenersValue() {
        SharedCache.Membership feature = SharedCache.join(scope,
                properties(Map.of(ResponseCacheProperties.STATUS_HEADER, "X-App-Cache")));
        ResponseCache opened = feature.cache();
        SharedCache.Membership filter = SharedCache.joinFollowing(scope, properties(Map.of()));

        assertSame(opened, filter.cache());
        assertEquals("X-App-Cache", filter.cache().settings().statusHeader());
        filter.close();
        feature.close();
    }

    @Test
    void twoDifferentValuesForOneSettingFailNamingPropertyAndBothValues() {
        SharedCache.Membership filter = SharedCache.joinFollowing(scope,
                properties(Map.of(ResponseCacheProperties.MAX_BODY_SIZE, "32KB")));
        ResponseCacheConfigException error = assertThrows(ResponseCacheConfigException.class,
                () -> SharedCache.join(scope, properties(Map.of(ResponseCacheProperties.MAX_BODY_SIZE, "16KB"))));
        assertTrue(error.getMessage().contains("responsecache.max-body-size is '16KB' here"), error.getMessage());
        assertTrue(error.getMessage().contains("opened with '32KB'"), error.getMessage());
        assertEquals(1, SharedCache.members(scope));
        filter.close();
    }

    @Test
    void settingAddedAfterAComponentTookTheCacheForGoodFailsInsteadOfBeingIgnored() {
        SharedCache.Membership feature = SharedCache.join(scope, properties(Map.of()));
        ResponseCacheConfigException error = assertThrows(ResponseCacheConfigException.class,
                () -> SharedCache.join(scope, properties(Map.of(ResponseCacheProperties.MAX_BODY_SIZE, "16KB"))));
        assertTrue(error.getMessage().contains("responsecache.max-body-size is '16KB' here"), error.getMessage());
        assertTrue(error.getMessage().contains("opened with unset"), error.getMessage());
        feature.close();
    }

    @Test
    void applicationStopClosesTheCacheOnceWhateverMembersRemain() {
        SharedCache.Membership filter = SharedCache.joinFollowing(scope, properties(Map.of()));
        SharedCache.Membership feature = SharedCache.join(scope, properties(Map.of()));
        filter.close();

        SharedCache.closeApplication(scope);
        assertNull(scope.attribute(SharedCache.ATTRIBUTE));
        assertEquals(0, SharedCache.members(scope));
        // Leaving after the application closed the cache, or closing again, does nothing.
        feature.close();
        SharedCache.closeApplication(scope);
        assertEquals(0, SharedCache.members(scope));
    }

    @Test
    void environmentVariablesAreFoundAsMicroProfileConfigMapsThem() {
        Map<String, String> environment = Map.of("RESPONSECACHE_MAX_BODY_SIZE", "64KB",
                "responsecache_status_header", "X-Env-Cache");
        PropertyValues values = SharedCache.properties(scope, name -> null, environment::get);
        assertEquals(64 * 1024, values.size(ResponseCacheProperties.MAX_BODY_SIZE, 0));
        assertEquals("X-Env-Cache", values.string(ResponseCacheProperties.STATUS_HEADER));
    }

    @Test
    void precedenceIsSystemPropertyThenEnvironmentThenComponentThenContextParamThenAttribute() {
        String name = "responsecache.test-precedence-" + System.nanoTime();
        String variable = name.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
        scope.initParameters.put(name, "context-param");
        scope.setAttribute(name, "attribute");
        Map<String, Object> component = new HashMap<>();
        component.put(name, "component");
        Map<String, String> environment = new HashMap<>();
        environment.put(variable, "environment");
        PropertyValues values = SharedCache.properties(scope, component::get, environment::get);

        System.setProperty(name, "system");
        try {
            assertEquals("system", values.string(name));
        } finally {
            System.clearProperty(name);
        }
        assertEquals("environment", values.string(name));
        environment.clear();
        assertEquals("component", values.string(name));
        component.clear();
        assertEquals("context-param", values.string(name));
        scope.initParameters.clear();
        assertEquals("attribute", values.string(name));
    }

    private PropertyValues properties(Map<String, String> component) {
        Function<String, Object> own = component::get;
        return SharedCache.properties(scope, own, name -> null);
    }
}
