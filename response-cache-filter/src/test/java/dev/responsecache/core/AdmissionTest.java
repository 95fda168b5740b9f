package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.TierSize;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The pressure rule and the doorkeeper of admission: readings of the store's capacity tier at most once per second
 * of the ticker, pressure from evictions to the room made, a sighting remembered for a window and then forgotten.
 */
class AdmissionTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<TierSize> tier = new AtomicReference<>(new TierSize("heap", 0, -1, 0));
    private final AtomicLong readings = new AtomicLong();
    private final Admission admission = new Admission(true, () -> {
        readings.incrementAndGet();
        return tier.get();
    }, nanos::get);

    private void holding(long entries, long evictions) {
        tier.set(new TierSize("heap", entries, -1, evictions));
    }

    private void nextSecond() {
        nanos.addAndGet(Admission.SAMPLE_NANOS);
    }

    @Test
    void theTierIsReadAtMostOncePerSecondOfTheTicker() {
        for (int i = 0; i < 100; i++) {
            assertTrue(admission.admits("/k" + i));
        }
        assertTrue(readings.get() == 1, "read by the first miss only: " + readings.get());
        nanos.addAndGet(Admission.SAMPLE_NANOS - 1);
        admission.admits("/a");
        assertTrue(readings.get() == 1);
        nanos.incrementAndGet();
        admission.admits("/b");
        assertTrue(readings.get() == 2);
    }

    @Test
    void evictionsStartPressureAndAKeyIsAdmittedAtItsSecondRequest() {
        admission.admits("/first");
        holding(100, 3);
        nextSecond();
        assertFalse(admission.admits("/k"), "evicting: a key not asked for recently is not admitted");
        assertTrue(admission.underPressure());
        assertTrue(admission.admits("/k"), "asked again");
        assertFalse(admission.admits("/other"));
    }

    @Test
    void pressureOutlastsAScanThatEvictsNothingAndEndsOnceRoomIsMade() {
        admission.admits("/first");
        holding(100, 3);
        nextSecond();
        admission.admits("/a");
        nextSecond();
        assertFalse(admission.admits("/b"), "no eviction since, the store still full: still under pressure");
        holding(91, 3);
        nextSecond();
        assertFalse(admission.admits("/c"), "a tenth fewer entries is not yet room");
        holding(89, 3);
        nextSecond();
        assertTrue(admission.admits("/d"), "room made");
        assertFalse(admission.underPressure());
    }

    /**
     * Pressure ends when an invalidation makes room and starts again once the store refilled and evicts: a key asked
     * for once in each episode was refused every time, the sighting of the episode before thrown away with its
     * doorkeeper.
     */
    @Test
    void keyAskedForOncePerPressureEpisodeWasRefusedForGood() {
        admission.admits("/first");
        holding(100, 3);
        nextSecond();
        assertFalse(admission.admits("/periodic"), "first request under pressure");
        holding(50, 3);
        nextSecond();
        assertTrue(admission.admits("/refill"), "an invalidation made room");
        assertFalse(admission.underPressure());
        holding(100, 9);
        nextSecond();
        assertFalse(admission.admits("/new"), "evicting again");
        assertTrue(admission.underPressure());
        assertTrue(admission.admits("/periodic"), "its second request: seen in the episode before");
    }

    @Test
    void aDoorkeeperIsMadeAnewWhenTheStoreHoldsFarMoreEntriesThanItsWindow() {
        admission.admits("/first");
        holding(100, 3);
        nextSecond();
        assertFalse(admission.admits("/seen-in-a-small-store"));
        holding(10, 3);
        nextSecond();
        assertTrue(admission.admits("/refill"), "room made");
        holding(100_000, 9);
        nextSecond();
        assertFalse(admission.admits("/new"));
        assertFalse(admission.admits("/seen-in-a-small-store"), "a window of 1,024 does not fit 100,000 entries");
    }

    @Test
    void aFullStoreNotSeenEvictingAdmitsEveryMiss() {
        holding(100, 0);
        for (int i = 0; i < 5; i++) {
            nextSecond();
            assertTrue(admission.admits("/k" + i));
        }
        holding(0, 7);
        nextSecond();
        assertTrue(admission.admits("/after-a-clear"), "evictions seen with nothing held: no pressure");
    }

    @Test
    void aStoreThatCannotTellIsNeverUnderPressure() {
        tier.set(null);
        nextSecond();
        assertTrue(admission.admits("/k"));
        tier.set(new TierSize("heap", -1, -1, -1));
        nextSecond();
        assertTrue(admission.admits("/k"));
        assertFalse(admission.underPressure());
    }

    @Test
    void admissionOffAdmitsEveryMissAndReadsNothing() {
        Admission off = new Admission(false, () -> {
            throw new AssertionError("read with admission off");
        }, nanos::get);
        holding(100, 3);
        nextSecond();
        assertTrue(off.admits("/k"));
    }

    @Test
    void theDoorkeeperForgetsASightingAfterTwoWindowsOfOtherKeys() {
        Doorkeeper doorkeeper = new Doorkeeper(1024);
        assertFalse(doorkeeper.seenElseRecord("/remembered"));
        assertFalse(doorkeeper.seenElseRecord("/gone"));
        for (int i = 0; i < 1000; i++) {
            doorkeeper.seenElseRecord("/scan-" + i);
        }
        assertTrue(doorkeeper.seenElseRecord("/remembered"), "within the window");
        for (int i = 0; i < 2 * 1024; i++) {
            doorkeeper.seenElseRecord("/later-scan-" + i);
        }
        assertFalse(doorkeeper.seenElseRecord("/gone"), "two windows later");
        assertTrue(doorkeeper.seenElseRecord("/gone"), "recorded again");
    }

    /**
     * Hits recorded nothing: a hot key's sighting was forgotten after two windows of refused keys, and its first
     * request once its entry left the store was refused. A hit in the last quarter of the entry's lifetime renews it.
     */
    @Test
    void hotKeyWasRefusedAfterItsEntryExpiredUnderAScan() {
        admission.admits("/first");
        holding(100, 3);
        nextSecond();
        assertFalse(admission.admits("/hot"));
        assertTrue(admission.admits("/hot"), "stored at its second request, fresh from 0 to 60,000 ms");
        scanWhileHit("/early-", 44_999);
        assertFalse(admission.admits("/hot"), "hits early in the entry's life renew nothing");
        assertTrue(admission.admits("/hot"));
        scanWhileHit("/late-", 45_000);
        assertTrue(admission.admits("/hot"), "renewed by the hits in the last quarter of its entry's life");
    }

    /** Three windows of one-off keys, the hot key's entry hit at {@code nowMillis} of its life after each. */
    private void scanWhileHit(String prefix, long nowMillis) {
        for (int i = 0; i < 3 * Admission.MIN_WINDOW; i++) {
            admission.admits(prefix + i);
            admission.hit("/hot", 0, 60_000, nowMillis);
        }
    }

    @Test
    void theDoorkeeperRarelyTakesANewKeyForOneSeen() {
        Doorkeeper doorkeeper = new Doorkeeper(10_000);
        for (int i = 0; i < 10_000; i++) {
            doorkeeper.seenElseRecord("/items/" + i);
        }
        int falselySeen = 0;
        for (int i = 0; i < 10_000; i++) {
            if (doorkeeper.seenElseRecord("/other/" + i)) {
                falselySeen++;
            }
        }
        assertTrue(falselySeen < 500, "false sightings: " + falselySeen);
    }

    /**
     * A one-off key the doorkeeper takes for seen is stored: a put with its eviction, a capture, the collector's
     * copying, far dearer than the refused miss it stands for. Two bits per key in two words took about one new key
     * in seventy for seen at a full window of the miss row's size (934 of 60,000 here); three bits in one word of a
     * filter twice the size take about one in five hundred.
     */
    @Test
    void oneOffKeyInSeventyWasTakenForSeenAndStored() {
        Doorkeeper doorkeeper = new Doorkeeper(60_000);
        for (int i = 0; i < 60_000; i++) {
            doorkeeper.seenElseRecord("/items/" + i);
        }
        int falselySeen = 0;
        for (int i = 0; i < 60_000; i++) {
            if (doorkeeper.seenElseRecord("/other/" + i)) {
                falselySeen++;
            }
        }
        assertTrue(falselySeen < 180, "false sightings: " + falselySeen);
    }

    @Test
    void badSettingNamesThePropertyAndTheValue() {
        ResponseCacheConfigException failure = assertThrows(ResponseCacheConfigException.class,
                () -> Admission.enabled(new PropertyValues(Map.<String, Object>of(
                        ResponseCacheProperties.ADMISSION, "sometimes")::get)));
        assertTrue(failure.getMessage().contains(ResponseCacheProperties.ADMISSION)
                && failure.getMessage().contains("sometimes"), failure.getMessage());
        assertFalse(Admission.enabled(new PropertyValues(Map.<String, Object>of(
                ResponseCacheProperties.ADMISSION, "OFF")::get)));
        assertTrue(Admission.enabled(new PropertyValues(Map.<String, Object>of()::get)), "on by default");
    }
}
