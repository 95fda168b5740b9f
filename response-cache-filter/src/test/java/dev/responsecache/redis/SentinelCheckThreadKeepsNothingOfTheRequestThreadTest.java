package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The thread that asks the sentinels where the primary is starts on the request that first reaches Redis and lives
 * as long as the store. It took that request thread's inheritable thread-locals and context class loader with it: a
 * request's values kept alive for good, and an application's class loader kept after it stopped (Tomcat reports the
 * leak on a redeploy).
 */
class SentinelCheckThreadKeepsNothingOfTheRequestThreadTest {

    private static final InheritableThreadLocal<String> REQUEST_VALUE = new InheritableThreadLocal<>();

    @Test
    void checkThreadTakesNeitherTheRequestsThreadLocalsNorItsClassLoader() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader application = new URLClassLoader(new URL[0], previous)) {
            Thread.currentThread().setContextClassLoader(application);
            REQUEST_VALUE.set("a request's value");
            CompletableFuture<String> seenValue = new CompletableFuture<>();
            Thread check = LazySentinelProvider.checkThread(() -> seenValue.complete(String.valueOf(REQUEST_VALUE.get())));
            check.start();

            assertEquals("null", seenValue.get(30, TimeUnit.SECONDS));
            assertNull(check.getContextClassLoader());
            assertTrue(check.isDaemon());
        } finally {
            REQUEST_VALUE.remove();
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
