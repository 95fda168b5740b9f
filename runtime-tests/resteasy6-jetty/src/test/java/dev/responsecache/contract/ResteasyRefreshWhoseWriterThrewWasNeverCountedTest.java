package dev.responsecache.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RESTEasy sibling of {@code RefreshWhoseWriterThrewAfterTheResponseWasCommittedWasNeverCountedTest}: a refresh
 * whose message body writer throws part-way through the page, within {@code max-body-size} (held, nothing committed)
 * and past it (the runtime commits the response), run inline (no initializer ran) or after the stale answer by the
 * library's runner. Its claim ended (the next request refreshes again), but it was never counted: RESTEasy answers it
 * with a 500 of its own, or ends the committed response, and passes it to nobody who counts, the runner included. Now
 * it is counted once in {@code responsecache.refresh.failures}. Real Jetty, real RESTEasy, the clock injected.
 */
class ResteasyRefreshWhoseWriterThrewWasNeverCountedTest {

    /** What the writer throws part-way through the page. */
    private static final Supplier<RuntimeException> BACKEND_WENT_AWAY =
            () -> new UncheckedIOException(new IOException("backend went away mid-page"));

    @ParameterizedTest
    @ValueSource(ints = {100, 64 * 1024})
    void inlineRefreshWhoseWriterThrewEndsItsClaimAndIsCountedOnce(int breakAfter) throws Exception {
        MidPageRefreshFailure.failsMidPage(breakAfter, false, BACKEND_WENT_AWAY, "UncheckedIOException");
    }

    /** The sibling run after the stale answer by the library's runner: counted once, as the runner sees it too. */
    @ParameterizedTest
    @ValueSource(ints = {100, 64 * 1024})
    void refreshAfterTheAnswerWhoseWriterThrewIsCountedOnce(int breakAfter) throws Exception {
        MidPageRefreshFailure.failsMidPage(breakAfter, true, BACKEND_WENT_AWAY, "UncheckedIOException");
    }
}
