package dev.responsecache.redis;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A standing subscription (lease releases, the eviction feed) that Redis answers but refuses by the user's ACL
 * ({@code NOPERM}: a user without the pub/sub commands, {@code -@pubsub}, or without the channel, as Redis 7 makes
 * users by default, {@code acl-pubsub-default resetchannels}). That is a configuration to fix, not an outage: it is
 * reported once, naming the permission the user lacks, until a subscription is made again (the ACL was fixed), which
 * is said in one line. The subscription keeps trying meanwhile.
 *
 * <p>The episode is handed on to the store that replaces this one when the cache is opened again on the same
 * connection ({@link #continues}, from {@link RedisStore#startedInPlaceOf}): the reopening is not a new refusal.
 */
final class ChannelRefusals {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    private static final String NOPERM = "NOPERM";

    private final String address;
    private final String user;
    private final String channel;
    private final String meanwhile;
    /** Whether the current episode was reported; replaced by the replaced store's ({@link #continues}). */
    private volatile AtomicBoolean reported = new AtomicBoolean();

    /**
     * @param user      the ACL user the store logs in as, or null for the default user
     * @param meanwhile what is done while the subscription is refused, for the warning
     */
    ChannelRefusals(String address, String user, String channel, String meanwhile) {
        this.address = address;
        this.user = user == null ? "default" : user;
        this.channel = channel;
        this.meanwhile = meanwhile;
    }

    /**
     * Whether {@code fault} is Redis refusing a command or channel to the user's ACL: {@code NOPERM}, not a refused
     * login ({@code WRONGPASS}), which fails every call of the store and is the store's to report.
     */
    static boolean isRefusal(Throwable fault) {
        return fault instanceof JedisDataException && fault.getMessage() != null
                && fault.getMessage().startsWith(NOPERM);
    }

    /** The episode of {@code replaced}, a subscription of a store on the same connection, goes on here. */
    void continues(ChannelRefusals replaced) {
        reported = replaced.reported;
    }

    /** Redis refused the subscription: reported once per episode. */
    void refused(Throwable refusal) {
        if (reported.compareAndSet(false, true)) {
            LOG.warn("Redis at " + address + " refused user '" + user + "' the subscription to " + channel + " ("
                    + refusal.getMessage() + "): " + meanwhile + ". Grant the user the pub/sub commands and the"
                    + " channel: ACL SETUSER " + user + " +subscribe +publish &" + channel);
        }
    }

    /** The subscription was made: a refusal reported before is over. */
    void subscribed() {
        AtomicBoolean episode = reported;
        if (episode.get() && episode.compareAndSet(true, false)) {
            LOG.info("Redis at " + address + " lets user '" + user + "' subscribe to " + channel + " again");
        }
    }
}
