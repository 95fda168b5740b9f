package dev.responsecache.core;

import dev.responsecache.spi.PropertyValues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.KeyLeases;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Which configurations coalesce across instances, and that a store's leases are asked for only then. */
class ClusterFlightTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicInteger asked = new AtomicInteger();

    @Test
    void leaseLongerThanTheWaitFailsStartupNamingBothProperties() {
        ResponseCacheConfigException error = assertThrows(ResponseCacheConfigException.class,
                () -> ClusterFlight.of(this::noLeases, properties("6s"), WAIT, System::nanoTime, CacheEvents.NONE));
        assertTrue(error.getMessage().contains(ResponseCacheProperties.COALESCE_LEASE + ": '6s'"), error.getMessage());
        assertTrue(error.getMessage().contains(ResponseCacheProperties.COALESCE_WAIT), error.getMessage());
        assertEquals(0, asked.get());
    }

    @Test
    void zeroLeaseOrNoCoalescingNeverAsksTheStore() {
        assertNull(ClusterFlight.of(this::noLeases, properties("0"), WAIT, System::nanoTime, CacheEvents.NONE));
        assertNull(ClusterFlight.of(this::noLeases, properties(null), Duration.ZERO, System::nanoTime,
                CacheEvents.NONE));
        assertEquals(0, asked.get());
    }

    @Test
    void storeWithoutLeasesCoalescesPerInstanceOnly() {
        assertNull(ClusterFlight.of(this::noLeases, properties(null), WAIT, System::nanoTime, CacheEvents.NONE));
        assertEquals(1, asked.get());
    }

    @Test
    void storeWithLeasesIsAskedOnce() {
        KeyLeases leases = new KeyLeases() {
            @Override
            public Contender contend(String key) {
                throw new UnsupportedOperationException("not called at start-up");
            }

            @Override
            public void release(String key, String token) {
                throw new UnsupportedOperationException("not called at start-up");
            }
        };
        assertNotNull(ClusterFlight.of(() -> {
            asked.incrementAndGet();
            return leases;
        }, properties("5s"), WAIT, System::nanoTime, CacheEvents.NONE));
        assertEquals(1, asked.get());
    }

    private KeyLeases noLeases() {
        asked.incrementAndGet();
        return null;
    }

    private static PropertyValues properties(String lease) {
        return new PropertyValues(lease == null ? name -> null
                : Map.of(ResponseCacheProperties.COALESCE_LEASE, lease)::get);
    }
}
