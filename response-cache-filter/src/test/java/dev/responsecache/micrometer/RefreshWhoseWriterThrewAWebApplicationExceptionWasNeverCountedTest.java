package dev.responsecache.micrometer;

import static dev.responsecache.micrometer.RefreshWhoseWriterThrowsMidPage.failsMidBody;

import dev.responsecache.micrometer.RefreshWhoseWriterThrowsMidPage.Refresh;
import dev.responsecache.testing.Container;

import jakarta.ws.rs.InternalServerErrorException;

import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JAX-RS refresh whose message body writer throws a {@code WebApplicationException} (here an
 * {@code InternalServerErrorException}: the page could not be serialized) part-way through the page. Any other
 * exception a writer throws is counted in {@code responsecache.refresh.failures}; this one was passed over as "an answer
 * of its own", as a method's {@code WebApplicationException} is. A writer that throws has not written the page: the
 * refresh stored nothing and the stale entry answers on, whatever the runtime then sends, so it is a failed refresh
 * like any other. Inline (no runner in front) and after the stale answer, within {@code max-body-size} (nothing
 * committed: the runtime answers the exception's own response) and past it. Real Jetty, real Jersey, the clock
 * injected.
 */
class RefreshWhoseWriterThrewAWebApplicationExceptionWasNeverCountedTest {

    /** What the writer throws part-way through the page. */
    private static final Supplier<RuntimeException> NOT_SERIALIZED =
            () -> new InternalServerErrorException("the page could not be serialized");
    private static final String COUNTED_AS = "InternalServerErrorException";

    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshWhoseWriterThrewAWebApplicationExceptionWithinTheBodyLimitIsCountedOnce(Refresh refresh) {
        failsMidBody(Container.JETTY, refresh, 100, NOT_SERIALIZED, COUNTED_AS);
    }

    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshWhoseWriterThrewAWebApplicationExceptionPastTheBodyLimitIsCountedOnce(Refresh refresh) {
        failsMidBody(Container.JETTY, refresh, 64 * 1024, NOT_SERIALIZED, COUNTED_AS);
    }
}
