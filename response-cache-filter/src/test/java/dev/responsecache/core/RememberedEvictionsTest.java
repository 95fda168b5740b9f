package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Failed evictions are replayed in order once the store answers, at most once per retry interval from requests, and
 * their memory is bounded: past the bound they give way to one eviction of every entry. Time is a fake ticker; the
 * background thread is off, so each replay is the test's.
 */
class RememberedEvictionsTest {

    private static final long RETRY = 1_000;

    private final AtomicLong now = new AtomicLong();
    private final AtomicBoolean down = new AtomicBoolean(true);
    /** What the store was asked to evict, in order; "*" for every entry. */
    private final List<String> replayed = new ArrayList<>();
    private final RememberedEvictions remembered = new RememberedEvictions(tags -> {
        if (down.get()) {
            throw new IllegalStateException("store unreachable");
        }
        replayed.add(tags == null ? "*" : String.join(",", tags.stream().sorted().toList()));
        return tags == null ? 100 : tags.size();
    }, 5, RETRY, now::get, false);

    private static final RuntimeException FAULT = new IllegalStateException("store unreachable");

    @Test
    void evictionsPastTheBoundAreRememberedAsOneEvictionOfEveryEntry() {
        RememberedEvictions.Eviction first = remembered.remember(Set.of("a", "b"), FAULT);
        remembered.remember(Set.of("c", "d"), FAULT);
        assertEquals(2, remembered.size());
        assertEquals(4, remembered.tagCount());
        assertFalse(remembered.holdsEveryEntry());

        RememberedEvictions.Eviction past = remembered.remember(Set.of("e", "f"), FAULT);
        assertEquals(1, remembered.size(), "six tags over a bound of five: every entry instead");
        assertEquals(1, remembered.tagCount());
        assertTrue(remembered.holdsEveryEntry());
        RememberedEvictions.Eviction later = remembered.remember(Set.of("g"), FAULT);
        assertEquals(1, remembered.size(), "every entry, waiting, covers any later eviction");

        down.set(false);
        now.addAndGet(RETRY);
        assertTrue(remembered.tryReplay());
        assertEquals(List.of("*"), replayed);
        assertTrue(remembered.isEmpty());
        for (RememberedEvictions.Eviction eviction : List.of(first, past, later)) {
            assertTrue(eviction.replayed());
            assertEquals(100, eviction.removed());
        }
    }

    @Test
    void rememberedEvictionsAreReplayedInTheOrderTheyFailed() {
        remembered.remember(Set.of("b"), FAULT);
        remembered.remember(null, FAULT);
        remembered.remember(Set.of("a"), FAULT);
        assertEquals(1, remembered.size(), "every entry absorbs what came before it, and what waits after it");

        down.set(false);
        now.addAndGet(RETRY);
        assertTrue(remembered.tryReplay());
        remembered.remember(Set.of("x"), FAULT);
        remembered.remember(Set.of("y"), FAULT);
        remembered.remember(Set.of("w"), FAULT);
        now.addAndGet(RETRY);
        assertTrue(remembered.tryReplay());
        assertEquals(List.of("*", "x", "y", "w"), replayed);
    }

    @Test
    void replayIsTriedAtMostOncePerRetryIntervalWhileTheStoreFails() {
        AtomicLong calls = new AtomicLong();
        RememberedEvictions counted = new RememberedEvictions(tags -> {
            calls.incrementAndGet();
            throw new IllegalStateException("store unreachable");
        }, 5, RETRY, now::get, false);
        counted.remember(Set.of("a"), FAULT);
        for (int i = 0; i < 10; i++) {
            assertFalse(counted.tryReplay(), "not before the interval has passed");
        }
        assertEquals(0, calls.get());
        now.addAndGet(RETRY);
        for (int i = 0; i < 10; i++) {
            assertFalse(counted.tryReplay());
        }
        assertEquals(1, calls.get(), "one failing call per interval, however many requests ask");
        assertEquals(1, counted.size());
    }
}
