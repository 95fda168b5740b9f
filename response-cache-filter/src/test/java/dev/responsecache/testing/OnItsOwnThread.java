package dev.responsecache.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A call made on a daemon thread of its own, for a test that watches that thread wait (its state, what it parks on)
 * and wakes it; {@code result} ends with what the call returned or threw.
 */
public record OnItsOwnThread<T>(Thread thread, CompletableFuture<T> result) {

    /** Starts {@code call} on a new daemon thread named {@code name}. */
    public static <T> OnItsOwnThread<T> calling(String name, Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return new OnItsOwnThread<>(thread, result);
    }

    /** What the call returned, waited for at most {@code deadline}; what it threw is an ExecutionException's cause. */
    public T get(Duration deadline) throws Exception {
        return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
