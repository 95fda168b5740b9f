package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * The session cookie's configured name, read when a servlet request cannot be: a servlet context that could not be
 * read once was taken to name no cookie for the application's life, so every later unreadable request counted any
 * cookie as its session. A failed read is tried again, at most once a second.
 */
class ReadUntilKnownTest {

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void cookieNameThatCouldNotBeReadOnceIsReadAgainLater() {
        ReadUntilKnown name = new ReadUntilKnown(() -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("the context is still starting");
            }
            return "SESSIONID";
        }, now::get);
        assertNull(name.get(), "not known yet");
        assertNull(name.get(), "not asked again within the second");
        assertEquals(1, reads.get());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals("SESSIONID", name.get());
        assertEquals("SESSIONID", name.get());
        assertEquals(2, reads.get(), "kept once read");
    }

    @Test
    void nameKnownToBeNoneIsKept() {
        ReadUntilKnown name = new ReadUntilKnown(() -> {
            reads.incrementAndGet();
            return null;
        }, now::get);
        assertNull(name.get());
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertNull(name.get());
        assertEquals(1, reads.get());
    }
}
