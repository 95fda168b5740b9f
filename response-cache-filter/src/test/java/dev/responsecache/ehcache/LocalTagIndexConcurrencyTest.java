package dev.responsecache.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tag index under concurrent puts, evictions and its own sweep, on a real Ehcache. Each test checks invariants
 * that hold under every interleaving once all threads are joined (or, for the eviction race, right after each
 * eviction returns), so none can fail by scheduling luck; they find a race only when the threads happen to hit it.
 */
class LocalTagIndexConcurrencyTest {

    private static final int THREADS = 6;

    private final MutableClock clock = new MutableClock();
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
    private final List<EhcacheStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        threads.shutdownNow();
        stores.forEach(EhcacheStore::close);
    }

    private EhcacheStore store(int maxEntries) {
        EhcacheStore store = (EhcacheStore) new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(
                Map.<String, Object>of("responsecache.ehcache.max-entries", String.valueOf(maxEntries))::get),
                clock));
        stores.add(store);
        return store;
    }

    private CacheEntry entry(String key, String writer) {
        return new CacheEntry(key, 200, List.of(new Header("X-Writer", writer)), new byte[16], clock.millis(),
                clock.millis() + 60_000, List.of());
    }

    private static String writerOf(CacheEntry entry) {
        return entry.headers().get(0).value();
    }

    /** Runs {@code task} on {@code count} threads at once and waits for all of them, failing with their failure. */
    private void onThreads(int count, ThreadTask task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(count);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int thread = i;
            running.add(threads.submit(() -> {
                start.await();
                task.run(thread);
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(120, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface ThreadTask {
        void run(int thread) throws Exception;
    }

    @Test
    void concurrentPutsOfOneKeyLeaveItIndexedUnderTheStoredEntrysTags() throws Exception {
        EhcacheStore store = store(10_000);
        for (int round = 0; round < 300; round++) {
            String key = "k" + round;
            String prefix = "round" + round + ":writer";
            onThreads(THREADS, writer -> store.put(entry(key, String.valueOf(writer)),
                    Set.of("/k", prefix + writer), store.invalidationMark()));
            String stored = writerOf(store.get(key));
            for (int writer = 0; writer < THREADS; writer++) {
                if (!String.valueOf(writer).equals(stored)) {
                    assertEquals(0, store.evict(Set.of(prefix + writer)),
                            "a tag only a replaced put carried still names the key, round " + round);
                }
            }
            assertNotNull(store.get(key));
            assertEquals(1, store.evict(Set.of(prefix + stored)),
                    "the stored entry's own tag names it, round " + round);
            assertNull(store.get(key), "round " + round);
        }
    }

    @Test
    void putRacingAnEvictionOfItsTagNeverLeavesItsEntryAfterTheEviction() throws Exception {
        // A small cache: entries are evicted for room too, and the index sweeps itself during the race.
        EhcacheStore store = store(200);
        Queue<Put> begun = new ConcurrentLinkedQueue<>();
        Map<String, Boolean> stored = new ConcurrentHashMap<>();
        Queue<String> staleAfterEviction = new ConcurrentLinkedQueue<>();
        List<Put> pending = new ArrayList<>();
        CountDownLatch puttersDone = new CountDownLatch(THREADS);
        onThreads(THREADS + 1, thread -> {
            if (thread < THREADS) {
                try {
                    for (int i = 0; i < 4_000; i++) {
                        String key = "k" + thread + "-" + i;
                        long mark = store.invalidationMark();
                        // Registered before the put, so that every eviction after this mark checks the key.
                        begun.add(new Put(key, mark));
                        stored.put(key, store.put(entry(key, key), Set.of("shared", "own:" + key), mark));
                    }
                } finally {
                    puttersDone.countDown();
                }
                return;
            }
            while (puttersDone.getCount() > 0) {
                store.evict(Set.of("shared"));
                // Only this thread evicts, so the mark now is the generation of the eviction that just returned.
                checkAbsentIfBegunBefore(store.invalidationMark(), begun, pending, staleAfterEviction, store);
            }
        });
        // The puts registered after the last check of the evicting thread.
        checkAbsentIfBegunBefore(store.invalidationMark(), begun, pending, staleAfterEviction, store);
        assertEquals(List.of(), List.copyOf(staleAfterEviction),
                "entries whose miss began before an eviction of their tag, in the cache after it returned");
        List<String> present = new ArrayList<>();
        stored.forEach((key, accepted) -> {
            if (store.get(key) != null) {
                assertTrue(accepted, key + " is in the cache although its put was refused");
                present.add(key);
            }
        });
        assertEvictableByEachTag(store, present, key -> "own:" + key, "shared");
    }

    /** A put that registered its key and mark before it called the store. */
    private record Put(String key, long mark) {
    }

    /** Records as stale every key whose put began before the eviction of generation {@code evicted} but is cached. */
    private static void checkAbsentIfBegunBefore(long evicted, Queue<Put> begun, List<Put> pending,
                                                 Queue<String> stale, EhcacheStore store) {
        for (Put put; (put = begun.poll()) != null; ) {
            pending.add(put);
        }
        pending.removeIf(put -> {
            if (put.mark() >= evicted) {
                return false;
            }
            if (store.get(put.key()) != null) {
                stale.add(put.key() + " (mark " + put.mark() + ", eviction " + evicted + ")");
            }
            // Once absent after the eviction, it stays so: its put either stored before the eviction (which
            // removed it) or is refused after it.
            return true;
        });
    }

    @Test
    void sweepRacingPutsOfTheSameKeysNeverUnindexesAStoredEntry() throws Exception {
        // 1,200 keys through 100 slots, every thread storing them in the same order: the index sweeps itself over
        // and over (past 1,024 keys), dropping keys evicted for room while other threads store them again.
        EhcacheStore store = store(100);
        onThreads(THREADS, thread -> {
            for (int i = 0; i < 6_000; i++) {
                String key = "k" + (i % 1_200);
                store.put(entry(key, key), Set.of("/p/" + key, "all"), store.invalidationMark());
            }
        });
        List<String> present = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            if (store.get("k" + i) != null) {
                present.add("k" + i);
            }
        }
        assertTrue(present.size() > 0, "the cache holds the latest entries");
        assertEvictableByEachTag(store, present, key -> "/p/" + key, "all");
    }

    /**
     * Every key in {@code present} is reachable from each of its tags: half of them are evicted by their own tag
     * (one entry each), the rest by the tag they share, which then leaves none of them in the cache.
     */
    private static void assertEvictableByEachTag(EhcacheStore store, List<String> present,
                                                 Function<String, String> ownTag, String shared) {
        int left = present.size();
        for (int i = 0; i < present.size(); i += 2) {
            assertEquals(1, store.evict(Set.of(ownTag.apply(present.get(i)))),
                    present.get(i) + " is not reachable from its own tag");
            left--;
        }
        assertEquals(left, store.evict(Set.of(shared)), "keys reachable from the tag they share");
        for (String key : present) {
            assertNull(store.get(key), key + " survived the evictions of its tags");
        }
    }

    @Test
    void pathTagLeftWithoutKeysStillLinksNewKeysBeforeAndAfterItIsDropped() {
        // A tag naming several keys is a set that puts add to without the map's lock; left empty, it stays mapped
        // until an eviction or the sweep holds the lock alone.
        EhcacheStore store = store(10_000);
        store.put(entry("a", "a"), Set.of("/p", "a"), store.invalidationMark());
        store.put(entry("b", "b"), Set.of("/p", "b"), store.invalidationMark());
        store.put(entry("a", "a"), Set.of("a"), store.invalidationMark());
        store.put(entry("b", "b"), Set.of("b"), store.invalidationMark());
        store.put(entry("c", "c"), Set.of("/p", "c"), store.invalidationMark());
        assertEquals(1, store.evict(Set.of("/p")), "linked into the emptied set, still mapped");
        store.put(entry("d", "d"), Set.of("/q", "d"), store.invalidationMark());
        store.put(entry("e", "e"), Set.of("/q", "e"), store.invalidationMark());
        store.put(entry("d", "d"), Set.of("d"), store.invalidationMark());
        store.put(entry("e", "e"), Set.of("e"), store.invalidationMark());
        // An eviction of another tag holds the lock alone and drops the emptied set.
        assertEquals(1, store.evict(Set.of("a")));
        store.put(entry("f", "f"), Set.of("/q", "f"), store.invalidationMark());
        assertEquals(1, store.evict(Set.of("/q")), "linked again once the emptied set was dropped");
        assertNotNull(store.get("d"));
        assertNotNull(store.get("e"));
    }

    @Test
    void sweepDoesNotBlockPutsOrEvictions() throws Exception {
        CacheManager manager = CacheManagerBuilder.newCacheManagerBuilder().withCache("responses",
                CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, CacheEntry.class,
                        ResourcePoolsBuilder.heap(10_000))).build(true);
        try {
            Cache<String, CacheEntry> cache = manager.getCache("responses", String.class, CacheEntry.class);
            CountDownLatch sweepHeld = new CountDownLatch(1);
            CountDownLatch releaseSweep = new CountDownLatch(1);
            AtomicBoolean holdNextSlice = new AtomicBoolean(true);
            // The one test seam of the index: a hook before each slice of the sweep, which holds no lock there.
            LocalTagIndex index = new LocalTagIndex(cache, () -> {
                if (holdNextSlice.getAndSet(false)) {
                    sweepHeld.countDown();
                    try {
                        releaseSweep.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            // Enough keys for a put to start a sweep, which this thread then walks.
            Future<?> sweeper = threads.submit(() -> {
                for (int i = 0; i < 2_000 && sweepHeld.getCount() > 0; i++) {
                    index.put(entry("k" + i, "sweeper"), Set.of("/k/" + i, "swept"), index.mark());
                }
                return null;
            });
            assertTrue(sweepHeld.await(60, TimeUnit.SECONDS), "no put started a sweep");
            Future<?> others = threads.submit(() -> {
                assertTrue(index.put(entry("other", "other"), Set.of("/other"), index.mark()));
                assertEquals(1, index.evict(Set.of("/k/0")));
                assertTrue(index.put(entry("later", "later"), Set.of("/later"), index.mark()));
                return null;
            });
            try {
                // A deadline, not a timing: with the sweep held forever, a put or an eviction that waited for it
                // would never return.
                others.get(60, TimeUnit.SECONDS);
            } finally {
                releaseSweep.countDown();
            }
            sweeper.get(60, TimeUnit.SECONDS);
            assertNotNull(cache.get("other"));
            assertNull(cache.get("k0"));
            assertEquals(1, index.evict(Set.of("/other")));
            assertTrue(index.evict(Set.of("swept")) > 1_000, "the keys put before the sweep are still indexed");
        } finally {
            manager.close();
        }
    }
}
