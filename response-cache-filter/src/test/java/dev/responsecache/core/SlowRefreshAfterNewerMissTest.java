package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stale-while-revalidate refresh that outlasts its window: a miss after the window runs the method again and stores
 * the newer response; the refresh, produced from what the method read before it, must not then replace it.
 */
class SlowRefreshAfterNewerMissTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)),
            byte[]::new, nanos::get, null);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, new StaleWindows(30_000, 0), CachePolicy.UNNAMED);

    @AfterEach
    void close() {
        cache.close();
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void refreshThatOutlastsItsWindowDoesNotReplaceTheNewerEntryAMissStoredMeanwhile() throws IOException {
        FakeRequest request = FakeRequest.get("/p", null);
        List<Header> text = List.of(new Header("Content-Type", "text/plain"));
        assertNotNull(cache.store(cache.lookup(policy, request), 200, text, new byte[] {1}));

        advance(Duration.ofSeconds(15));
        Lookup stale = cache.lookup(policy, request);
        assertTrue(stale.revalidating());
        Lookup refresh = stale.refresh();
        assertNotNull(refresh);
        // The refresh's method reads version 2 now, then is slow to finish.

        // Past the window (and the refresh's hold on the key, and the coalescing wait): a miss.
        advance(Duration.ofSeconds(60));
        Lookup miss = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        // Meanwhile the data changed: the miss reads and stores version 3.
        assertNotNull(cache.store(miss, 200, text, new byte[] {3}));

        // The slow refresh ends with what it read 60 seconds ago.
        cache.store(refresh, 200, text, new byte[] {2});

        Lookup hit = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.HIT, hit.outcome());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        hit.writeBody(body);
        assertArrayEquals(new byte[] {3}, body.toByteArray(),
                "the refresh's older response replaced the newer one for a whole ttl");
    }
}
