package dev.responsecache.testing;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tests log warnings only: this raises the cache's logger to INFO while each test runs, for tests that read the
 * start-up line or other INFO lines, and puts the level back afterwards.
 */
public final class CacheLoggerAtInfo implements BeforeEachCallback, AfterEachCallback {

    private static final Logger LOGGER = Logger.getLogger("dev.responsecache");
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(CacheLoggerAtInfo.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        // A null level (inherited from the parent) is kept as a holder so that it can be restored as null.
        context.getStore(NAMESPACE).put("level", new Level[] {LOGGER.getLevel()});
        LOGGER.setLevel(Level.INFO);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Level[] level = context.getStore(NAMESPACE).remove("level", Level[].class);
        LOGGER.setLevel(level == null ? null : level[0]);
    }
}
