package dev.responsecache.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.HostAndPort;

/**
 * Logs the switches Jedis did not hear once per episode rather than once per check. A rebuilt provider takes the
 * first sentinel's answer, and each of its listeners its own sentinel's: while one sentinel still names the old
 * primary, the provider can land on it again, and the next check (every {@link LazySentinelProvider#PRIMARY_CHECK})
 * rebuilds it again. The first rebuild towards a primary is an INFO line; the rebuilds after it towards the same
 * primary are DEBUG; the episode ends with one INFO line, when a check finds Jedis on that primary, when a majority
 * names yet another one, or when the store closes. Called by the check thread (and by close), one call at a time.
 */
final class SentinelSwitchLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    private final String master;
    /** The primary the current episode's rebuilds go towards; null between episodes. */
    private HostAndPort towards;
    private int rebuilds;

    SentinelSwitchLog(String master) {
        this.master = master;
    }

    /** A check found most sentinels naming {@code named} while Jedis follows {@code followed}: it rebuilds. */
    synchronized void rebuilding(HostAndPort named, HostAndPort followed) {
        if (named.equals(towards)) {
            rebuilds++;
            LOG.debug("Redis Sentinel's client is on {} again rather than {}, the primary most sentinels name for {}"
                    + " (one sentinel still names it): building it again, {} times so far", followed, named, master,
                    rebuilds);
            return;
        }
        if (towards != null) {
            ended("the sentinels now name " + named);
        }
        towards = named;
        rebuilds = 1;
        LOG.info("The sentinels name " + named + " as the primary of " + master + ", but Redis Sentinel's client"
                + " was still on " + followed + " (it did not hear the switch): following " + named);
    }

    /** A check found Jedis on {@code named}, the primary most sentinels name: the episode, if any, ends. */
    synchronized void following(HostAndPort named) {
        if (towards == null) {
            return;
        }
        if (towards.equals(named)) {
            LOG.info("Redis Sentinel's client follows " + named + ", the primary of " + master + ", after it was"
                    + " built " + rebuilds + (rebuilds == 1 ? " time" : " times"));
            towards = null;
            rebuilds = 0;
        } else {
            // The sentinels moved on (another failover) and Jedis heard it: it follows their primary, not ours.
            ended("Redis Sentinel's client follows " + named + ", the primary the sentinels now name");
        }
    }

    /**
     * The store closes while Jedis follows {@code followed} (null if it follows none): an episode still open ends, as
     * followed if Jedis is on its primary (a store closed before the next check confirmed it), else unfinished.
     */
    synchronized void closed(HostAndPort followed) {
        if (towards == null) {
            return;
        }
        if (towards.equals(followed)) {
            following(followed);
        } else {
            ended("the store closed");
        }
    }

    private void ended(String why) {
        LOG.info("Redis Sentinel's client never settled on " + towards + " as the primary of " + master + " after"
                + " it was built " + rebuilds + (rebuilds == 1 ? " time" : " times") + ": " + why);
        towards = null;
        rebuilds = 0;
    }
}
