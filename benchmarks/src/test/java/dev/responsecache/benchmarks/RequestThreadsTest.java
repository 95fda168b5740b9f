package dev.responsecache.benchmarks;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark app's opt-in to virtual request threads, on whichever JVM runs the build. */
class RequestThreadsTest {

    @Test
    void platformThreadsUnlessAsked() {
        assertNull(RequestThreads.pool(null).getVirtualThreadsExecutor());
        assertNull(RequestThreads.pool("false").getVirtualThreadsExecutor());
    }

    @Test
    void virtualThreadsWhenAskedOrAClearFailureOnAJvmWithout() {
        if (Runtime.version().feature() >= 21) {
            assertNotNull(RequestThreads.pool("true").getVirtualThreadsExecutor());
        } else {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> RequestThreads.pool("true"));
            assertTrue(refused.getMessage().contains("Java 21 or later"), refused.getMessage());
        }
    }

    @Test
    void aValueOtherThanTrueOrFalseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RequestThreads.pool("yes"));
    }
}
