package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The near tier never keeps a copy read from the shared store before a newer entry was stored. */
class NearTierStoreRaceTest {

    private final MutableClock clock = new MutableClock();

    private ResponseStore ehcache() {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    }

    @Test
    void copyReadBeforeAStoreNeverReplacesTheStoredEntry() throws Exception {
        ResponseStore near = ehcache();
        ResponseStore backing = ehcache();
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        ResponseStore shared = new ResponseStore() {
            public CacheEntry get(String key) {
                CacheEntry e = backing.get(key);
                read.countDown();
                try {
                    go.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
                return e;
            }
            public void put(CacheEntry entry) { backing.put(entry); }
            public boolean put(CacheEntry entry, Set<String> tags, long mark) { return backing.put(entry, tags, mark); }
            public long evict(Set<String> tags) { return backing.evict(tags); }
            public long evictAll() { return backing.evictAll(); }
            public boolean evicts() { return true; }
            public void close() { }
        };
        TwoLevelStore store = new TwoLevelStore(near, shared);
        long now = clock.millis();
        CacheEntry old = new CacheEntry("k", 200, List.of(), new byte[] {1}, now, now + 60_000, List.of());
        backing.put(old, Set.of("/p"), 0);
        Thread reader = new Thread(() -> store.get("k"));
        reader.start();
        assertTrue(read.await(30, TimeUnit.SECONDS), "the reader never read");
        CacheEntry fresh = new CacheEntry("k", 200, List.of(), new byte[] {2}, now, now + 120_000, List.of());
        store.put(fresh, Set.of("/p"), 0);
        go.countDown();
        reader.join();
        assertEquals(now + 120_000, near.get("k").expiresAtMillis(),
                "the near tier holds the older copy after the newer one was stored");
    }
}
