package dev.responsecache.ehcache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;

import org.junit.jupiter.api.Test;

/**
 * On JDK 24 and later with {@code --sun-misc-unsafe-memory-access=deny} (a later JDK's default to be) Ehcache's heap
 * tier cannot be made, and the application failed to start with Ehcache's own
 * {@code java.lang.Error: java.lang.UnsupportedOperationException: objectFieldOffset}, which names neither the cache's
 * setting nor the JVM option. The failures are built here as that JVM throws them: this build's JDK 17 has no such
 * option (the whole start-up under it is in docs/RUNTIMES.md, run on JDK 25).
 */
class UnsafeDeniedEndedStartUpInEhcachesOwnErrorTest {

    @Test
    void theFirstAttemptsErrorFromUnsafeIsToldAsTheStoreAndTheJvmOption() {
        UnsupportedOperationException refused = new UnsupportedOperationException("objectFieldOffset");
        refused.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("sun.misc.Unsafe", "beforeMemoryAccess", "Unsafe.java", 1852),
                new StackTraceElement("sun.misc.Unsafe", "objectFieldOffset", "Unsafe.java", 946),
                new StackTraceElement("org.ehcache.impl.internal.concurrent.ThreadLocalRandomUtil", "<clinit>",
                        "ThreadLocalRandomUtil.java", 44)});
        Error failure = new Error(refused);

        assertTrue(EhcacheStoreProvider.unsafeDenied(failure));
        ResponseCacheConfigException told = EhcacheStoreProvider.unsafeDeniedError(failure);
        assertTrue(told.getMessage().contains("responsecache.store=ehcache"), told.getMessage());
        assertTrue(told.getMessage().contains("--sun-misc-unsafe-memory-access=deny"), told.getMessage());
        assertTrue(told.getMessage().contains("responsecache.store=redis"), told.getMessage());
        assertSame(failure, told.getCause());
    }

    @Test
    void aLaterAttemptsUninitializedClassIsToldAlike() {
        assertTrue(EhcacheStoreProvider.unsafeDenied(new NoClassDefFoundError(
                "Could not initialize class org.ehcache.impl.internal.concurrent.ThreadLocalRandomUtil")));
    }

    @Test
    void otherFailuresAreLeftAsTheyAre() {
        assertFalse(EhcacheStoreProvider.unsafeDenied(new Error(new UnsupportedOperationException("elsewhere"))));
        assertFalse(EhcacheStoreProvider.unsafeDenied(new NoClassDefFoundError("org/ehcache/CacheManager")));
        assertFalse(EhcacheStoreProvider.unsafeDenied(new OutOfMemoryError("Java heap space")));
    }
}
