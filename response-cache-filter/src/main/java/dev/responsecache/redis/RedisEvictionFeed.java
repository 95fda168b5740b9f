package dev.responsecache.redis;

import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.EvictionFeed;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Evictions told to every instance over a Redis pub/sub channel, {@code <prefix>evictions}: an instance publishes
 * after each eviction, and every instance with a near tier subscribes on a connection of its own and drops its near
 * tier on each message.
 *
 * <p>Pub/sub rather than RESP3 client tracking: one message per eviction rather than one per evicted key (an eviction
 * of 10,000 entries is one message), it works with the RESP2 connections and Redis 6 the store already uses, and
 * tracking would have to follow every pooled connection that reads. A message can be lost only with the connection;
 * so the feed is not {@link #live()} until it has subscribed, and every (re)subscription drops the near tier first,
 * as evictions may have been missed meanwhile. A half-open connection (a peer gone without a TCP reset) is not
 * detected until TCP gives up on it; on Sentinel, though, a subscription to a primary the sentinels replaced is not live
 * from the moment Jedis hears of the new one ({@link #follow}): the old one may hang without a reset (stopped, cut off)
 * while every eviction is published on the new one. On a Redis Cluster the channel is a classic one: each instance subscribes on
 * whichever node it reaches, and the Cluster forwards every {@code PUBLISH} to every node (sharded pub/sub would tie
 * the channel to one slot's node, and needs Redis 7).
 */
final class RedisEvictionFeed implements EvictionFeed {

    private static final System.Logger LOG = System.getLogger("dev.responsecache");

    private final UnifiedJedis redis;
    private final String channel;
    private final Duration retry;
    private final FaultLog faults;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean live = new AtomicBoolean();
    /** Whether a refusal of the channel by the user's ACL was logged: once, it is a configuration, not an episode. */
    private final AtomicBoolean aclRefusalReported = new AtomicBoolean();
    /** The primary Jedis names now (Sentinel), or null: a subscription made to another one hears nothing. */
    private volatile Supplier<?> primary;
    /** The primary named when the current subscription was made. */
    private volatile Object subscribedTo;
    private volatile Subscription current;
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private Runnable listener;
    /** The subscribing thread, which close() waits for: a container checks for threads a stopped application left. */
    private volatile Thread subscriber;
    /** Grows the request pool by the connection the subscription holds for good. */
    private final Runnable reserveConnection;

    RedisEvictionFeed(UnifiedJedis redis, String prefix, Duration retry, String address, Runnable reserveConnection) {
        this.redis = redis;
        this.reserveConnection = reserveConnection;
        this.channel = prefix + "evictions";
        this.retry = retry;
        this.faults = new FaultLog("Redis eviction feed from " + address);
    }

    /**
     * Tells every instance; a failure is logged, and answered false: their near copies would otherwise live their ttl
     * and stale windows, so the caller fails the eviction, to be replayed (publish included). Not so a refusal by the
     * user's ACL ({@code NOPERM}: Redis 7 makes users without channels, {@code acl-pubsub-default resetchannels}): no
     * instance logged in as that user can subscribe either, so no near tier of theirs waits for the message, and a
     * replay would meet the same refusal every second, keeping this instance uncached for good. It is a configuration to
     * fix, reported as such, and the eviction stands as done.
     */
    boolean published() {
        try {
            redis.publish(channel, "evicted");
            return true;
        } catch (JedisAccessControlException e) {
            if (aclRefusalReported.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Redis refused to publish evictions on " + channel + " ("
                        + e.getMessage() + "): the near tiers of other instances logged in as another user are not"
                        + " told of evictions; grant this user the channel (ACL SETUSER <user> &" + channel
                        + "). Evictions themselves are carried out");
            }
            return true;
        } catch (JedisException e) {
            faults.failed(e);
            return false;
        }
    }

    @Override
    public synchronized void listen(Runnable onEviction) {
        if (listener != null) {
            throw new IllegalStateException("one listener only");
        }
        listener = onEviction;
        reserveConnection.run();
        Thread thread = new Thread(this::subscribeUntilClosed, "response-cache-eviction-feed");
        thread.setDaemon(true);
        subscriber = thread;
        thread.start();
    }

    /**
     * Makes the subscription follow the primary {@code primary} names (Sentinel's, as Jedis hears of failovers): a
     * subscription made while another was named is dropped and made again, and not live meanwhile. Called before
     * {@link #listen}.
     */
    void follow(Supplier<?> primary) {
        this.primary = primary;
    }

    @Override
    public boolean live() {
        if (!live.get()) {
            return false;
        }
        Supplier<?> following = primary;
        if (following != null && !Objects.equals(following.get(), subscribedTo)) {
            leftBehind();
            return false;
        }
        return true;
    }

    /**
     * The sentinels named another primary than the one subscribed to, where nothing is published any more: the near
     * tier is dropped and bypassed, and the subscription ended, to be made again on the new primary (once the old one
     * answers the unsubscription or its connection fails; until then the near tier stays bypassed).
     */
    private void leftBehind() {
        if (live.compareAndSet(true, false)) {
            dropNear();
            Subscription subscription = current;
            if (subscription != null && subscription.isSubscribed()) {
                unsubscribe(subscription);
            }
        }
    }

    private void subscribeUntilClosed() {
        while (closed.getCount() > 0) {
            Subscription subscription = new Subscription();
            current = subscription;
            // Read before the connection is made: a failover in between makes a live() that drops it once more.
            Supplier<?> following = primary;
            subscribedTo = following == null ? null : following.get();
            try {
                redis.subscribe(subscription, channel);
            } catch (JedisException | IllegalStateException e) {
                if (closed.getCount() > 0) {
                    faults.failed(e);
                }
            } finally {
                live.set(false);
                if (closed.getCount() > 0) {
                    dropNear();
                }
            }
            try {
                if (closed.await(retry.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void close() {
        closed.countDown();
        Subscription subscription = current;
        if (subscription != null && subscription.isSubscribed()) {
            unsubscribe(subscription);
        }
        Thread thread = subscriber;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void unsubscribe(Subscription subscription) {
        try {
            subscription.unsubscribe();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the eviction feed: " + e);
        }
    }

    /** Runs the listener; a fault in it (a near tier closing with the application) must not end the feed. */
    private void dropNear() {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "dropping the near tier failed: " + e);
        }
    }

    private final class Subscription extends JedisPubSub {
        @Override
        public void onSubscribe(String subscribed, int count) {
            if (closed.getCount() == 0) {
                // Closed while subscribing: close() may have found nothing to unsubscribe yet.
                RedisEvictionFeed.unsubscribe(this);
                return;
            }
            // Evictions may have been missed while not subscribed: drop first, then keep copies again.
            dropNear();
            live.set(true);
            faults.succeeded();
        }

        @Override
        public void onMessage(String from, String message) {
            dropNear();
        }
    }
}
