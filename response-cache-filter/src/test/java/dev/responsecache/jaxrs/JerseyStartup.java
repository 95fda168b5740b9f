package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.responsecache.ResponseCacheConfigException;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;

/** A Jersey application started in process (its {@code ApplicationHandler}), for tests of what its start-up refuses. */
final class JerseyStartup {

    private JerseyStartup() {
    }

    /** The configuration error that failed {@code app}'s start-up, found among the causes of what Jersey threw. */
    static ResponseCacheConfigException error(ResourceConfig app) {
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> new ApplicationHandler(app));
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseCacheConfigException config) {
                return config;
            }
        }
        throw new AssertionError("start-up failed without naming the configuration problem", thrown);
    }
}
