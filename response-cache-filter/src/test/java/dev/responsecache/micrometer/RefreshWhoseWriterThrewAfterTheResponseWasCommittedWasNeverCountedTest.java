package dev.responsecache.micrometer;

import static dev.responsecache.micrometer.RefreshWhoseWriterThrowsMidPage.failsMidBody;

import dev.responsecache.micrometer.RefreshWhoseWriterThrowsMidPage.Refresh;
import dev.responsecache.testing.Container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JAX-RS refresh whose message body writer throws part-way through the page. While the body is held (within
 * {@code max-body-size}) Jersey sees the exception before anything is committed, passes it on, and it was counted. Past
 * the limit the held bytes go on and Jersey commits the response; an exception after that Jersey only logs (the
 * client's chunked response just ends): the refresh failed, its claim was released, but it was never counted in
 * {@code responsecache.refresh.failures}, inline (no runner in front: the client's own request) or run after the stale
 * answer by the runner in front. Now the cache's writer interceptor, which sees the writer throw, counts it at once,
 * once with whatever else reports the same refresh. Real Jetty and Tomcat, real Jersey, the clock injected.
 */
class RefreshWhoseWriterThrewAfterTheResponseWasCommittedWasNeverCountedTest {

    /** What the writer throws part-way through the page. */
    private static final Supplier<RuntimeException> BACKEND_WENT_AWAY =
            () -> new UncheckedIOException(new IOException("backend went away mid-page"));
    private static final String COUNTED_AS = "UncheckedIOException";

    @ParameterizedTest
    @EnumSource(Container.class)
    void inlineRefreshWhoseWriterThrewPastTheBodyLimitIsCountedOnceAndTheNextRequestRefreshes(Container container) {
        failsMidBody(container, Refresh.INLINE, 64 * 1024, BACKEND_WENT_AWAY, COUNTED_AS);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshAfterTheAnswerWhoseWriterThrewPastTheBodyLimitIsCountedOnce(Container container) {
        failsMidBody(container, Refresh.AFTER_THE_ANSWER, 64 * 1024, BACKEND_WENT_AWAY, COUNTED_AS);
    }

    /** Within the limit nothing is committed: the runtime (or the runner) sees it too, and it is still counted once. */
    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshWhoseWriterThrewWithinTheBodyLimitIsCountedOnce(Refresh refresh) {
        failsMidBody(Container.JETTY, refresh, 100, BACKEND_WENT_AWAY, COUNTED_AS);
    }
}
