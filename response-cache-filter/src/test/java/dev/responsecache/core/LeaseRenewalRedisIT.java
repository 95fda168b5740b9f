package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.redis.RedisStoreProvider;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LeaseRenewalTest}'s two lapses against a real redis-server, the leases held by one instance's
 * {@link ClusterFlight} and looked at by another instance's store: a refresh whose own end is shorter than
 * {@code coalesce-wait} keeps its lease until the wait (this instance's own requests leave the key to it that long),
 * and then, as a miss whose holder never releases it, is renewed no longer, lapses in Redis, and is forgotten once it
 * has, swept or never taken over; a late release never deletes the lease another instance took since. The instance's
 * renewals are run by the test (the engine's hook) on its injected ticker; Redis expires the leases on its own clock.
 */
class LeaseRenewalRedisIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Redis expires a lease on its own clock, one lease after its last renewal: long enough that a test stalled between
     * a renewal and its look at the lease still finds it held (with 500 ms, a loaded machine's stall lapsed it).
     */
    private static final Duration LEASE = Duration.ofSeconds(5);

    private final String prefix = "rc-renewal-" + UUID.randomUUID() + ":";
    private final MutableClock clock = new MutableClock();
    private final AtomicLong ticker = new AtomicLong(TimeUnit.DAYS.toNanos(1));
    private final AtomicReference<Runnable> renewal = new AtomicReference<>(() -> { });
    private final ResponseStore mine = redisStore();
    private final ResponseStore other = redisStore();
    /** Every extension of this instance's leases that Redis granted, by key. */
    private final List<String> extended = new CopyOnWriteArrayList<>();
    private final ClusterFlight flight = ClusterFlight.of(this::watchedLeases, new PropertyValues(Map.<String, Object>of(
            ResponseCacheProperties.COALESCE_LEASE, LEASE.toMillis() + "ms",
            ClusterFlight.RENEWALS, (Consumer<Runnable>) renewal::set)::get), WAIT, ticker::get, CacheEvents.NONE);

    @AfterEach
    void close() {
        flight.close();
        mine.close();
        other.close();
    }

    /** This instance's leases in Redis, their granted extensions noted. */
    private KeyLeases watchedLeases() {
        KeyLeases redisLeases = mine.keyLeases();
        return new KeyLeases() {
            @Override
            public Contender contend(String key) {
                return redisLeases.contend(key);
            }

            @Override
            public void release(String key, String token) {
                redisLeases.release(key, token);
            }

            @Override
            public boolean extend(String key, String token, Duration duration) {
                boolean granted = redisLeases.extend(key, token, duration);
                if (granted) {
                    extended.add(key);
                }
                return granted;
            }
        };
    }

    private ResponseStore redisStore() {
        return new RedisStoreProvider().create(new StoreContext(new PropertyValues(Map.<String, Object>of(
                ResponseCacheProperties.REDIS_URI, redis.uri(), ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")::get), clock));
    }

    /** Whether the other instance finds {@code key}'s lease held; when free it takes it (for {@code token}). */
    private boolean heldForTheOther(String key, String token) {
        try (KeyLeases.Contender contender = other.keyLeases().contend(key)) {
            return contender.tryTake(token, Duration.ofSeconds(30)) != KeyLeases.TAKEN;
        }
    }

    /** Moves this instance's ticker by {@code nanos}, in steps of a third of a lease, renewing at each. */
    private void renewedFor(long nanos) {
        long step = LEASE.toNanos() / 3;
        for (long moved = 0; moved < nanos; moved += step) {
            ticker.addAndGet(Math.min(step, nanos - moved));
            renewal.get().run();
        }
    }

    @Test
    void leasesOfARefreshShorterThanTheWaitAndOfAMissNeverReleasedLapseAfterTheWaitAndAreForgotten() {
        InFlight inFlight = new InFlight(WAIT.toNanos(), ticker::get);
        InFlight.Claim refresh = inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(600));
        assertTrue(flight.mayRefresh("k", refresh, () -> null));
        refresh.endsWithin(ticker.get(), TimeUnit.SECONDS.toNanos(1), () -> { });
        InFlight.Claim miss = new InFlight.Claim(ticker.get());
        assertNull(flight.lead("m", miss, () -> null, () -> { }));

        renewedFor(TimeUnit.SECONDS.toNanos(1));
        extended.clear();
        renewedFor(WAIT.toNanos() - LEASE.toNanos() - TimeUnit.SECONDS.toNanos(1));
        assertTrue(extended.contains("k"), "renewed past its own end while this instance leaves the key to it");
        assertTrue(extended.contains("m"), "a miss is renewed for coalesce-wait");
        assertTrue(heldForTheOther("k", "other"));
        assertTrue(heldForTheOther("m", "other"));
        assertNull(inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(600)),
                "this instance still leaves the key to it");

        // Past the wait neither is renewed: Redis lets both lapse within one lease; the other instance takes them.
        renewedFor(LEASE.toNanos());
        extended.clear();
        renewedFor(LEASE.toNanos());
        assertEquals(List.of(), extended, "past the wait and its own end: left to lapse");
        for (String key : new String[] {"k", "m"}) {
            // Taken by the other instance as soon as it finds it free: asked again only until then.
            Eventually.until(() -> !heldForTheOther(key, "other"), Duration.ofSeconds(30),
                    () -> "the lease of " + key + " was still renewed past its bounds");
        }
        assertEquals(0, flight.leasesTracked(), "forgotten once lapsed in the store, neither released nor taken over");

        // Released late, they leave the other instance's leases alone.
        flight.release(refresh);
        flight.release(miss);
        assertTrue(heldForTheOther("k", "third"));
        assertTrue(heldForTheOther("m", "third"));
    }
}
