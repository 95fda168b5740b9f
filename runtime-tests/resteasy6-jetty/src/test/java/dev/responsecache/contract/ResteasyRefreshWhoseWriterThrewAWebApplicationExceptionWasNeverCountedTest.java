package dev.responsecache.contract;

import jakarta.ws.rs.InternalServerErrorException;

import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RESTEasy sibling of {@code RefreshWhoseWriterThrewAWebApplicationExceptionWasNeverCountedTest}: a refresh whose
 * message body writer throws a {@code WebApplicationException} part-way through the page, within {@code max-body-size}
 * and past it, inline (no initializer ran) or after the stale answer by the library's runner. Any other exception is
 * counted in {@code responsecache.refresh.failures}; this one was passed over as an answer of its own, though the
 * refresh stored nothing. Real Jetty, real RESTEasy, the clock injected.
 */
class ResteasyRefreshWhoseWriterThrewAWebApplicationExceptionWasNeverCountedTest {

    /** What the writer throws part-way through the page. */
    private static final Supplier<RuntimeException> NOT_SERIALIZED =
            () -> new InternalServerErrorException("the page could not be serialized");

    @ParameterizedTest
    @ValueSource(ints = {100, 64 * 1024})
    void inlineRefreshWhoseWriterThrewAWebApplicationExceptionIsCountedOnce(int breakAfter) throws Exception {
        MidPageRefreshFailure.failsMidPage(breakAfter, false, NOT_SERIALIZED, "InternalServerErrorException");
    }

    /** The sibling run after the stale answer by the library's runner: counted once, as the runner sees it too. */
    @ParameterizedTest
    @ValueSource(ints = {100, 64 * 1024})
    void refreshAfterTheAnswerWhoseWriterThrewAWebApplicationExceptionIsCountedOnce(int breakAfter) throws Exception {
        MidPageRefreshFailure.failsMidPage(breakAfter, true, NOT_SERIALIZED, "InternalServerErrorException");
    }
}
