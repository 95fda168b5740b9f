package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A 304 keeps the entry's tags, over the default store, Ehcache. */
class ServletRevalidationTagsTest extends RevalidationTagsContract {

    @Override
    ServletApp withStore(ServletApp app) {
        return app;
    }

    /** Ehcache replaces an entry's tags with the entry (Redis keeps an old tag's member until its old expiry). */
    @ParameterizedTest
    @EnumSource(Container.class)
    void revalidationBy304WithItsOwnTagsReplacesTheStoredOnes(Container container) {
        start(container);
        assertEquals("MISS", status("/t/retag"));
        clock.advance(Duration.ofSeconds(61));
        assertEquals("REVALIDATED", status("/t/retag"));
        evict("product-42");
        assertEquals("HIT", status("/t/retag"), "the 304 gave new tags: the old ones no longer apply");
        evict("retagged");
        assertEquals("MISS", status("/t/retag"));
    }
}
