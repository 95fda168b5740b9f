package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The threads that send a stale answer at a deadline start on the request that arms the first deadline and live
 * until the cache closes: they took that request thread's inheritable thread-locals and its context class loader
 * (an application's, kept from collection after the application stopped).
 */
class StaleDeadlineThreadKeepsNothingOfTheRequestThreadTest {

    private static final InheritableThreadLocal<String> REQUEST_VALUE = new InheritableThreadLocal<>();

    @Test
    void deadlineThreadTakesNeitherTheRequestsThreadLocalsNorItsClassLoader() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        StaleDeadlines deadlines = new StaleDeadlines(1_000);
        try (URLClassLoader application = new URLClassLoader(new URL[0], previous)) {
            Thread.currentThread().setContextClassLoader(application);
            REQUEST_VALUE.set("a request's value");
            CompletableFuture<String> seen = new CompletableFuture<>();
            deadlines.schedule(() -> seen.complete(REQUEST_VALUE.get() + " / "
                    + Thread.currentThread().getContextClassLoader()), 0);

            assertEquals("null / null", seen.get(30, TimeUnit.SECONDS));
        } finally {
            REQUEST_VALUE.remove();
            Thread.currentThread().setContextClassLoader(previous);
            deadlines.close();
        }
    }
}
