package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * A lease holder keeps its lease while its method runs, within its bound; a refresh is taken once per cluster and is
 * not doubled by a second refresh while it runs. Time is the injected monotonic source; the lease table is the
 * in-memory one below, with the semantics of Redis's ({@code SET NX PX}, compare-and-extend, compare-and-delete).
 */
class LeaseRenewalTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration LEASE = Duration.ofMillis(2500);

    private final AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(1));
    private final LeaseTable table = new LeaseTable();
    private final AtomicReference<Runnable> renewal = new AtomicReference<>();
    private final ClusterFlight flight = ClusterFlight.of(() -> table, new PropertyValues(Map.<String, Object>of(
            ResponseCacheProperties.COALESCE_LEASE, "2500ms",
            ClusterFlight.RENEWALS, (Consumer<Runnable>) renewal::set)::get), WAIT, now::get, CacheEvents.NONE);

    @Test
    void holderStillRunningHasItsLeaseExtendedAtEachRenewalUntilItReleases() {
        InFlight.Claim claim = new InFlight.Claim(now.get());
        assertNull(flight.lead("k", claim, () -> null, () -> { }), "took the lease: runs the method");
        assertNotNull(renewal.get(), "the first lease held starts the renewals");
        String token = table.holder("k");

        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        renewal.get().run();
        assertEquals(List.of("k " + token), table.extended);
        assertEquals(now.get() + LEASE.toNanos(), table.expiry("k"), "a full lease from the renewal");

        flight.release(claim);
        renewal.get().run();
        assertEquals(1, table.extended.size(), "a released lease is not renewed");
        assertNull(table.holder("k"));
    }

    @Test
    void holderPastItsBoundIsNoLongerRenewedAndItsLeaseLapses() {
        InFlight.Claim claim = new InFlight.Claim(now.get());
        assertNull(flight.lead("k", claim, () -> null, () -> { }));
        for (int second = 2; second <= 4; second += 2) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            renewal.get().run();
        }
        assertEquals(2, table.extended.size());
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        renewal.get().run();
        assertEquals(2, table.extended.size(), "a miss is renewed for coalesce-wait at most: no waiter waits longer");
        now.addAndGet(LEASE.toNanos());
        assertNull(table.holder("k"), "then its lease lapses");
    }

    @Test
    void leaseLostToAnotherInstanceIsNeverExtendedAgain() {
        InFlight.Claim claim = new InFlight.Claim(now.get());
        assertNull(flight.lead("k", claim, () -> null, () -> { }));
        table.leases.put("k", new Lease("another instance", now.get() + LEASE.toNanos()));
        renewal.get().run();
        renewal.get().run();
        assertEquals(List.of(), table.extended);
        assertEquals("another instance", table.holder("k"));
    }

    @Test
    void refreshFindingTheKeyHeldElsewhereLeavesItToThatHolderForWhatItsLeaseHasLeft() {
        table.leases.put("k", new Lease("another instance", now.get() + LEASE.toNanos()));
        assertFalse(flight.refreshedElsewhere("k"));
        assertFalse(flight.mayRefresh("k", new InFlight.Claim(now.get()), () -> null));
        assertTrue(flight.refreshedElsewhere("k"), "not asked again while that lease runs");
        now.addAndGet(LEASE.toNanos());
        assertFalse(flight.refreshedElsewhere("k"), "asked again once it has run out");
        assertEquals(1, table.takes);
    }

    @Test
    void refreshTakingTheLeaseAfterAnotherInstanceStoredReleasesItAndRunsNothing() {
        CacheEntry refreshed = new CacheEntry("k", 200, List.of(), new byte[] {1}, 0, 60_000, List.of());
        assertFalse(flight.mayRefresh("k", new InFlight.Claim(now.get()), () -> refreshed));
        assertNull(table.holder("k"), "released at once");
        assertTrue(flight.mayRefresh("k", new InFlight.Claim(now.get()), () -> null));
        assertNotNull(table.holder("k"));
    }

    @Test
    void refreshWhenTheLeasesCannotBeAskedRunsOnThisInstance() {
        table.down = true;
        assertTrue(flight.mayRefresh("k", new InFlight.Claim(now.get()), () -> null));
        assertFalse(flight.refreshedElsewhere("k"));
    }

    @Test
    void refreshIsRenewedUntilTheEndOfItsStaleWhileRevalidateWindowNotJustTheWait() {
        InFlight.Claim refresh = new InFlight.Claim(now.get(), TimeUnit.SECONDS.toNanos(30));
        assertTrue(flight.mayRefresh("k", refresh, () -> null));
        String token = table.holder("k");
        for (int second = 2; second < 30; second += 2) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            renewal.get().run();
        }
        assertEquals(14, table.extended.size(), "renewed within its window, long past coalesce-wait");
        assertEquals(token, table.holder("k"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        renewal.get().run();
        assertEquals(14, table.extended.size(), "past its window: left to lapse");
    }

    @Test
    void refreshWhoseEndNeverCameWasRenewedForItsWholeWindow() {
        InFlight.Claim refresh = new InFlight.Claim(now.get(), TimeUnit.SECONDS.toNanos(600));
        assertTrue(flight.mayRefresh("k", refresh, () -> null));
        refresh.endsWithin(now.get(), TimeUnit.SECONDS.toNanos(30), () -> { });
        for (int second = 2; second < 30; second += 2) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            renewal.get().run();
        }
        assertEquals(14, table.extended.size(), "renewed while its end may still come");
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        renewal.get().run();
        assertEquals(14, table.extended.size(), "past its bound: left to lapse, for every instance");
    }

    @Test
    void refreshTakingOverALapsedClaimFoundThatClaimsLeaseHeldAndLeftTheKeyToIt() {
        InFlight inFlight = new InFlight(WAIT.toNanos(), now::get);
        InFlight.Claim lost = inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(600));
        assertTrue(flight.mayRefresh("k", lost, () -> null));
        lost.endsWithin(now.get(), TimeUnit.SECONDS.toNanos(30), () -> { });
        for (int second = 2; second <= 30; second += 2) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            renewal.get().run();
        }
        assertNotNull(table.holder("k"), "its lease has not lapsed yet");

        InFlight.Claim next = inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(600));
        assertTrue(flight.mayRefresh("k", next, () -> null), "this instance's lapsed lease is released first");
        assertFalse(flight.refreshedElsewhere("k"));
    }

    @Test
    void lapsedClaimSweptFromInFlightLeftItsLeaseTrackedForGood() {
        InFlight inFlight = new InFlight(WAIT.toNanos(), now::get);
        InFlight.Claim lost = inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(600));
        assertTrue(flight.mayRefresh("k", lost, () -> null));
        lost.endsWithin(now.get(), TimeUnit.SECONDS.toNanos(30), () -> { });
        InFlight.Claim miss = new InFlight.Claim(now.get());
        assertNull(flight.lead("m", miss, () -> null, () -> { }), "a miss whose holder never releases either");
        assertEquals(2, flight.leasesTracked());
        for (int second = 2; second <= 30; second += 2) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            renewal.get().run();
        }
        // Neither is ever released nor taken over: each is forgotten once its lease has lapsed in the store.
        now.addAndGet(LEASE.toNanos());
        renewal.get().run();
        assertNull(table.holder("k"));
        assertNull(table.holder("m"));
        assertEquals(0, flight.leasesTracked(), "a lapsed lease is no longer tracked");
    }

    @Test
    void leaseLostToAnotherInstanceIsForgotten() {
        InFlight.Claim claim = new InFlight.Claim(now.get());
        assertNull(flight.lead("k", claim, () -> null, () -> { }));
        table.leases.put("k", new Lease("another instance", now.get() + LEASE.toNanos()));
        renewal.get().run();
        assertEquals(0, flight.leasesTracked());
        flight.release(claim);
        assertEquals("another instance", table.holder("k"), "never released for its new holder");
    }

    @Test
    void refreshWhoseOwnEndWasShorterThanTheWaitStoppedBeingRenewedBeforeTheWait() {
        InFlight inFlight = new InFlight(WAIT.toNanos(), now::get);
        InFlight.Claim refresh = inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(600));
        assertTrue(flight.mayRefresh("k", refresh, () -> null));
        refresh.endsWithin(now.get(), TimeUnit.SECONDS.toNanos(1), () -> { });
        String token = table.holder("k");
        for (int step = 0; step < 4; step++) {
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(800));
            renewal.get().run();
        }
        assertEquals(4, table.extended.size(), "renewed while this instance's own requests leave the key to it");
        assertNull(inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(600)),
                "this instance still leaves the key to it");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2000));
        assertEquals(token, table.holder("k"), "so another instance finds its lease held until the wait");
        renewal.get().run();
        assertEquals(4, table.extended.size(), "past the wait and its own end: left to lapse");
    }

    @Test
    void headerDrivenRefreshIsKeptForItsStaleWhileRevalidateWindowNotTheEntrysRetention() {
        // max-age=10, stale-while-revalidate=60, kept an hour: at 11 s the window has 59 s left.
        CacheEntry entry = new CacheEntry("k", 200, List.of(
                new Header("Cache-Control", "max-age=10, stale-while-revalidate=60"), new Header("ETag", "\"1\"")),
                new byte[] {1}, 0, 3_600_000, List.of());
        assertEquals(TimeUnit.SECONDS.toNanos(59),
                ResponseCache.refreshKeepNanos(entry, 11_000, HeaderModeSettings.DEFAULTS, 3_600_000));
        assertEquals(0, ResponseCache.refreshKeepNanos(entry, 80_000, HeaderModeSettings.DEFAULTS, 3_600_000),
                "past the window: nothing left, however long the entry is kept");
        CacheEntry noWindow = new CacheEntry("k", 200, List.of(new Header("Cache-Control", "max-age=10")),
                new byte[] {1}, 0, 3_600_000, List.of());
        assertEquals(0, ResponseCache.refreshKeepNanos(noWindow, 11_000, HeaderModeSettings.DEFAULTS, 3_600_000));
    }

    @Test
    void slowRefreshIsNotTakenOverByASecondRefreshWhileItsWindowLasts() throws Exception {
        InFlight inFlight = new InFlight(WAIT.toNanos(), now::get);
        long window = TimeUnit.SECONDS.toNanos(30);
        InFlight.Claim first = inFlight.tryLead("k", inFlight.generation(), window);
        assertNotNull(first);
        now.addAndGet(WAIT.toNanos() * 2);
        assertNull(CompletableFuture.supplyAsync(() -> inFlight.tryLead("k", inFlight.generation(), window))
                .get(60, TimeUnit.SECONDS), "a refresh slower than coalesce-wait still holds its key");
        now.addAndGet(window);
        assertNotNull(CompletableFuture.supplyAsync(() -> inFlight.tryLead("k", inFlight.generation(), window))
                .get(60, TimeUnit.SECONDS), "past its window it is taken to be abandoned");
    }

    @Test
    void missTakesOverASlowRefreshAfterTheWaitAsItDoesAnyClaim() throws Exception {
        InFlight inFlight = new InFlight(WAIT.toNanos(), now::get);
        assertNotNull(inFlight.tryLead("k", inFlight.generation(), TimeUnit.SECONDS.toNanos(30)));
        now.addAndGet(WAIT.toNanos());
        assertNotNull(CompletableFuture.supplyAsync(() -> inFlight.leadOrWait("k", inFlight.generation()))
                .get(60, TimeUnit.SECONDS));
    }

    @Test
    void closingStopsTheRenewals() {
        InFlight.Claim claim = new InFlight.Claim(now.get());
        assertNull(flight.lead("k", claim, () -> null, () -> { }));
        flight.close();
        renewal.get().run();
        assertEquals(List.of(), table.extended);
    }

    /**
     * The caller learns whether its request waited for another instance's holder: a read taken before that wait (a
     * peek's, kept for the lookup behind it) no longer stands for the store, while one taken before a lease taken at
     * once still does.
     */
    @Test
    void leaderIsToldWhenItIsAboutToWaitForAnotherInstancesHolderAndOnlyThen() {
        AtomicInteger waits = new AtomicInteger();
        InFlight.Claim first = new InFlight.Claim(now.get());
        assertNull(flight.lead("k", first, () -> null, waits::incrementAndGet));
        assertEquals(0, waits.get(), "took the lease at once: waited for nobody");
        flight.release(first);

        table.leases.put("j", new Lease("another instance", now.get() + LEASE.toNanos()));
        table.holderReleases = () -> table.leases.remove("j");
        assertNull(flight.lead("j", new InFlight.Claim(now.get()), () -> null, waits::incrementAndGet),
                "released without an entry: runs the method");
        assertEquals(1, waits.get(), "waited for the other instance's holder, told once before waiting");
    }

    @Test
    void renewalThreadStartsWithTheFirstLeaseHeldAndEndsWithTheCache() {
        ClusterFlight scheduled = ClusterFlight.of(() -> table, new PropertyValues(Map.<String, Object>of(
                ResponseCacheProperties.COALESCE_LEASE, "2500ms")::get), WAIT, now::get, CacheEvents.NONE);
        // Counted against those already running: another test's cache in this JVM may hold one.
        long before = renewalThreads();
        InFlight.Claim claim = new InFlight.Claim(now.get());
        assertNull(scheduled.lead("k", claim, () -> null, () -> { }));
        assertEquals(before + 1, renewalThreads());
        scheduled.release(claim);
        scheduled.close();
        Eventually.until(() -> renewalThreads() == before, Duration.ofSeconds(30),
                () -> "the renewal thread outlived the cache");
    }

    private static long renewalThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("response-cache-lease-renewal") && thread.isAlive())
                .count();
    }

    private record Lease(String token, long expiresAtNanos) {
    }

    /** Leases as Redis keeps them, expiring on the test's monotonic source. */
    private final class LeaseTable implements KeyLeases {
        final Map<String, Lease> leases = new HashMap<>();
        final List<String> extended = new ArrayList<>();
        int takes;
        boolean down;
        /** What the other instance's holder does while a contender waits for it; null: nobody waits. */
        Runnable holderReleases;

        String holder(String key) {
            Lease lease = live(key);
            return lease == null ? null : lease.token();
        }

        long expiry(String key) {
            return live(key).expiresAtNanos();
        }

        private Lease live(String key) {
            Lease lease = leases.get(key);
            return lease != null && now.get() - lease.expiresAtNanos() < 0 ? lease : null;
        }

        @Override
        public Contender contend(String key) {
            return new Contender() {
                @Override
                public long tryTake(String token, Duration duration) {
                    if (down) {
                        return UNAVAILABLE;
                    }
                    takes++;
                    Lease lease = live(key);
                    if (lease != null) {
                        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(lease.expiresAtNanos() - now.get()));
                    }
                    leases.put(key, new Lease(token, now.get() + duration.toNanos()));
                    return TAKEN;
                }

                @Override
                public boolean awaitRelease(long nanos) {
                    if (holderReleases == null) {
                        throw new AssertionError("no wait in these tests");
                    }
                    holderReleases.run();
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void release(String key, String token) {
            Lease lease = live(key);
            if (lease != null && lease.token().equals(token)) {
                leases.remove(key);
            }
        }

        @Override
        public boolean extend(String key, String token, Duration duration) {
            Lease lease = live(key);
            if (lease == null || !lease.token().equals(token)) {
                return false;
            }
            extended.add(key + " " + token);
            leases.put(key, new Lease(token, now.get() + duration.toNanos()));
            return true;
        }
    }
}
