package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.LogCapture;

import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import redis.clients.jedis.HostAndPort;

/**
 * A rebuilt Sentinel provider that landed on the old primary again (one sentinel still naming it) was rebuilt at the
 * next check, every 5 seconds, with an INFO line each time until it landed on the majority's primary. The episode is
 * now one INFO line when it starts and one when it ends, whatever the number of rebuilds in between; the checks are
 * driven here in the order the check thread makes them.
 */
@ExtendWith(CacheLoggerAtInfo.class)
class SentinelRebuildsTowardsOnePrimaryLoggedOnceTest {

    private static final HostAndPort OLD = new HostAndPort("127.0.0.1", 6380);
    private static final HostAndPort NEW = new HostAndPort("127.0.0.1", 6381);
    private static final HostAndPort NEXT = new HostAndPort("127.0.0.1", 6382);

    private final SentinelSwitchLog switches = new SentinelSwitchLog("mymaster");

    @Test
    void rebuildsLandingOnTheOldPrimaryAgainAreOneEpisodeThatEndsWhenTheNewOneIsFollowed() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int check = 0; check < 12; check++) {
                switches.rebuilding(NEW, OLD);
            }
            switches.following(NEW);
            switches.following(NEW);

            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(2, lines.size(), () -> String.join("\n", lines));
            assertTrue(lines.get(0).contains("The sentinels name " + NEW + " as the primary of mymaster")
                    && lines.get(0).contains("still on " + OLD + " (it did not hear the switch)"), lines.get(0));
            assertEquals("Redis Sentinel's client follows " + NEW + ", the primary of mymaster, after it was built"
                    + " 12 times", lines.get(1));
        }
    }

    @Test
    void aFollowedPrimaryWithNoEpisodeLogsNothing() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            switches.following(NEW);
            switches.closed(NEW);
            assertEquals(List.of(), log.messagesAtLeast(Level.INFO));
        }
    }

    @Test
    void aSwitchAfterTheEpisodeEndedStartsAnotherWithItsOwnLine() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            switches.rebuilding(NEW, OLD);
            switches.following(NEW);
            switches.rebuilding(NEXT, NEW);
            switches.rebuilding(NEXT, NEW);
            switches.following(NEXT);

            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(4, lines.size(), () -> String.join("\n", lines));
            assertTrue(lines.get(1).endsWith("after it was built 1 time"), lines.get(1));
            assertTrue(lines.get(2).contains("The sentinels name " + NEXT), lines.get(2));
            assertTrue(lines.get(3).endsWith("after it was built 2 times"), lines.get(3));
        }
    }

    @Test
    void anEpisodeOvertakenByAnotherFailoverEndsBeforeTheNextStarts() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            switches.rebuilding(NEW, OLD);
            switches.rebuilding(NEW, OLD);
            switches.rebuilding(NEXT, OLD);
            switches.rebuilding(NEXT, OLD);

            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(3, lines.size(), () -> String.join("\n", lines));
            assertEquals("Redis Sentinel's client never settled on " + NEW + " as the primary of mymaster after it"
                    + " was built 2 times: the sentinels now name " + NEXT, lines.get(1));
            assertTrue(lines.get(2).contains("The sentinels name " + NEXT + " as the primary of mymaster"),
                    lines.get(2));
        }
    }

    @Test
    void anEpisodeWhoseSwitchJedisHeardOfAnotherFailoverEnds() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            switches.rebuilding(NEW, OLD);
            switches.rebuilding(NEW, OLD);
            switches.following(NEXT);

            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(2, lines.size(), () -> String.join("\n", lines));
            assertEquals("Redis Sentinel's client never settled on " + NEW + " as the primary of mymaster after it"
                    + " was built 2 times: Redis Sentinel's client follows " + NEXT + ", the primary the sentinels now"
                    + " name", lines.get(1));
            // Ended: a later check that finds Jedis on the same primary says nothing more.
            switches.following(NEXT);
            assertEquals(2, log.messagesAtLeast(Level.INFO).size());
        }
    }

    @Test
    void anEpisodeOpenWhenTheStoreClosesEnds() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            switches.rebuilding(NEW, OLD);
            switches.rebuilding(NEW, OLD);
            switches.rebuilding(NEW, OLD);
            switches.closed(OLD);

            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(2, lines.size(), () -> String.join("\n", lines));
            assertEquals("Redis Sentinel's client never settled on " + NEW + " as the primary of mymaster after it"
                    + " was built 3 times: the store closed", lines.get(1));
        }
    }

    @Test
    void aStoreClosedOnTheEpisodesPrimaryBeforeTheNextCheckEndsItAsFollowed() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            switches.rebuilding(NEW, OLD);
            switches.closed(NEW);

            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(2, lines.size(), () -> String.join("\n", lines));
            assertEquals("Redis Sentinel's client follows " + NEW + ", the primary of mymaster, after it was built"
                    + " 1 time", lines.get(1));
        }
    }
}
