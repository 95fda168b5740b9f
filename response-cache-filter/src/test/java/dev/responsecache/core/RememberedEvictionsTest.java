package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Eventually;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Failed evictions are replayed in order once the store answers, at most once per retry interval, and their memory
 * is bounded by the distinct tags waiting: past the bound they give way to one eviction of every entry. Time is a
 * fake ticker; the background thread is off (but in the one test about it), so each replay is the test's.
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

    @Test
    void evictingOneTagAgainAndAgainDuringAnOutageStaysUnderTheBoundInsteadOfEvictingEveryEntry() {
        RememberedEvictions.Eviction first = remembered.remember(Set.of("product:1"), FAULT);
        List<RememberedEvictions.Eviction> again = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            again.add(remembered.remember(Set.of("product:1"), FAULT));
        }
        assertEquals(1, remembered.size(), "the waiting eviction of the tag stands for the later ones");
        assertEquals(1, remembered.tagCount());
        assertFalse(remembered.holdsEveryEntry(), "no flush of every entry for one tag evicted often");

        down.set(false);
        now.addAndGet(RETRY);
        assertTrue(remembered.tryReplay());
        assertEquals(List.of("product:1"), replayed);
        assertTrue(first.replayed());
        assertTrue(again.stream().allMatch(RememberedEvictions.Eviction::replayed));
    }

    @Test
    void tagsThatWaitAlreadyAreNotCountedTwiceAndTheOrderIsKept() {
        remembered.remember(Set.of("a", "b"), FAULT);
        remembered.remember(Set.of("c"), FAULT);
        RememberedEvictions.Eviction partly = remembered.remember(Set.of("a", "d", "e"), FAULT);
        assertEquals(5, remembered.tagCount(), "a, b, c, d, e: five distinct tags, within the bound of five");
        assertFalse(remembered.holdsEveryEntry());
        RememberedEvictions.Eviction spanning = remembered.remember(Set.of("b", "c", "d"), FAULT);
        assertEquals(partly, spanning, "stood for by the latest eviction that holds one of its tags");

        down.set(false);
        now.addAndGet(RETRY);
        assertTrue(remembered.tryReplay());
        assertEquals(List.of("a,b", "c", "d,e"), replayed);
        assertTrue(spanning.replayed());
    }

    @Test
    void aTagEvictedAgainWhileItsEvictionIsBeingReplayedIsReplayedAgainAfterIt() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        RememberedEvictions[] holder = new RememberedEvictions[1];
        AtomicBoolean reentered = new AtomicBoolean();
        holder[0] = new RememberedEvictions(tags -> {
            calls.add(String.join(",", tags));
            if (reentered.compareAndSet(false, true)) {
                // Asked for while the replay of "a" may have read its members already: it must run again.
                holder[0].rememberAfterOthers(Set.of("a"));
            }
            return 1;
        }, 5, RETRY, now::get, false);
        holder[0].remember(Set.of("a"), FAULT);
        now.addAndGet(RETRY);
        assertTrue(holder[0].tryReplay());
        assertEquals(List.of("a", "a"), calls);
    }

    @Test
    void aTagEvictionTheStoreRefusesForGoodIsReplacedByAnEvictionOfEveryEntry() {
        RuntimeException refusal = new IllegalStateException("WRONGTYPE Operation against a key");
        RememberedEvictions refusing = new RememberedEvictions(new RememberedEvictions.Evictor() {
            @Override
            public long evict(Set<String> tags) {
                if (tags != null && tags.contains("broken")) {
                    throw refusal;
                }
                replayed.add(tags == null ? "*" : String.join(",", tags));
                return 1;
            }

            @Override
            public boolean retryable(Throwable fault) {
                return fault != refusal;
            }
        }, 5, RETRY, now::get, false);
        RememberedEvictions.Eviction before = refusing.remember(Set.of("a"), FAULT);
        RememberedEvictions.Eviction broken = refusing.remember(Set.of("broken"), FAULT);
        RememberedEvictions.Eviction after = refusing.remember(Set.of("c"), FAULT);
        now.addAndGet(RETRY);
        assertTrue(refusing.tryReplay(), "not remembered for ever: the instance uses the store again");
        assertEquals(List.of("a", "*"), replayed, "every entry, which removes what the refused one named");
        assertTrue(refusing.isEmpty());
        assertTrue(before.replayed() && broken.replayed() && after.replayed());
    }

    @Test
    void aRequestThatFindsEvictionsRememberedDoesNotWaitForTheirReplay() throws Exception {
        CountDownLatch replaying = new CountDownLatch(1);
        CountDownLatch storeAnswers = new CountDownLatch(1);
        try (RememberedEvictions slow = new RememberedEvictions(tags -> {
            replaying.countDown();
            try {
                // A slow store: the replay takes as long as the test wants.
                storeAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }, 5, RETRY, System::nanoTime, true)) {
            slow.remember(Set.of("a"), FAULT);
            assertTrue(replaying.await(1, TimeUnit.MINUTES), "the background thread replays");
            // The replay is stuck in the store: a request goes on uncached instead of waiting for it.
            assertFalse(slow.replaySoon());
            assertFalse(slow.isEmpty());
            storeAnswers.countDown();
            Eventually.until(slow::isEmpty, Duration.ofMinutes(1), () -> "never replayed");
            assertTrue(slow.replaySoon());
        }
    }
}
