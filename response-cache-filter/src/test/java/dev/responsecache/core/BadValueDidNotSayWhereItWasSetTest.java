package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A refused value was named with its property only ("Invalid value for responsecache.max-body-size: '12XB' ..."),
 * while the same key may be set in five places and the one that wins may not be the one the operator reads: the
 * error now says where the refused value was set.
 */
class BadValueDidNotSayWhereItWasSetTest {

    private static final String KEY = ResponseCacheProperties.MAX_BODY_SIZE;
    private static final String REFUSED = "Invalid value for " + KEY
            + ": '12XB' (expected a size such as 1048576, 512KB, 64MB or 1GB)";

    private final MapScope scope = new MapScope();
    private final Map<String, Object> application = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    @Test
    void environmentVariableIsNamedAsSetWhenItOverridesAGoodContextParam() {
        scope.initParameters.put(KEY, "512KB");
        environment.put("RESPONSECACHE_MAX_BODY_SIZE", "12XB");
        assertEquals(REFUSED + "; set by the environment variable RESPONSECACHE_MAX_BODY_SIZE", failure());
    }

    @Test
    void applicationPropertyIsNamedWhenItDiffersFromTheContextParam() {
        scope.initParameters.put(KEY, "512KB");
        application.put(KEY, "12XB");
        assertEquals(REFUSED + "; set by the application property " + KEY, failure());
    }

    @Test
    void contextParamJerseyAlsoHandsTheApplicationIsNamedAsTheContextParam() {
        scope.initParameters.put(KEY, "12XB");
        application.put(KEY, "12XB");
        assertEquals(REFUSED + "; set by the context-param " + KEY, failure());
    }

    @Test
    void systemPropertyIsNamedFirst() {
        environment.put("RESPONSECACHE_MAX_BODY_SIZE", "512KB");
        System.setProperty(KEY, "12XB");
        try {
            assertEquals(REFUSED + "; set by the system property " + KEY, failure());
        } finally {
            System.clearProperty(KEY);
        }
    }

    @Test
    void errorAboutNoSingleValueIsLeftAsItIs() {
        ResponseCacheConfigException conflict = new ResponseCacheConfigException("two settings disagree");
        assertSame(conflict, SharedCache.located(conflict, scope, application::get, environment::get));
    }

    /** The message the application's start-up fails with, located as the adapters locate it. */
    private String failure() {
        ResponseCacheConfigException error = assertThrows(ResponseCacheConfigException.class, () -> SharedCache.join(
                scope, SharedCache.properties(scope, application::get, environment::get)));
        assertEquals(KEY, error.property());
        return SharedCache.located(error, scope, application::get, environment::get).getMessage();
    }
}
