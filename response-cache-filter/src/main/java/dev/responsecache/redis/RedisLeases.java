package dev.responsecache.redis;

import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.KeyLeases;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Key leases in Redis (see docs/REDIS.md): a lease is one key, {@code <prefix>lease:v<format>:k2:{<digest>}} (the
 * entry key's digest as hash tag, so the lease shares the entry's slot), holding its holder's random token, taken
 * with {@code SET NX PX} and released by a script that deletes it only while it holds that token, then publishes the
 * lease key on {@code <prefix>leases}; a holder still running extends it with a script that renews it only while it
 * holds that token. Each command and script touches that one key (Cluster-safe); the channel is
 * plain pub/sub.
 *
 * <p>One subscription per instance, on a connection of its own that ends with it (never lent again by the pool:
 * {@link SubscriptionConnections}), started with the store; a
 * message wakes the requests of this instance contending for that key. While it is not subscribed (starting, or
 * Redis unreachable) releases may go unheard, so contenders wait a capped backoff at a time and look again instead.
 */
final class RedisLeases implements KeyLeases {

    private static final System.Logger LOG = System.getLogger("dev.responsecache");
    /** Takes the lease, or says how long its holder has left (a key without expiry: a full lease, to look again). */
    private static final String TAKE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
            local left = redis.call('PTTL', KEYS[1])
            if left == -1 then return tonumber(ARGV[2]) end
            if left < 1 then return 1 end
            return left""";
    /**
     * Compare-and-delete: a holder whose lease expired and was taken by another never releases that one. The release
     * stands when the user's ACL refuses the channel: no instance logged in as that user hears it anyway (its
     * subscription is refused, and reported, {@link ChannelRefusals}), and a release failed as a write would leave the
     * key to its expiry and report a write fault per release.
     */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.pcall('PUBLISH', ARGV[2], KEYS[1])
              return 1
            end
            return 0""";
    /** Compare-and-extend: renews the lease only while it holds the holder's token (1), else leaves it alone (0). */
    private static final String EXTEND = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0""";
    /** The first wait while releases cannot be heard; it doubles up to {@link #MAX_BACKOFF_NANOS}. */
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** What the warnings of the subscription's faults say is done meanwhile. */
    private static final String MEANWHILE = "requests waiting for another instance's lease look again after a"
            + " backoff rather than hear its release";
    /** How long closing waits for the subscription's thread: at once normally; bounded if a connect hangs. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    /** Runs a call on Redis under the store's breaker; a fault or an open breaker gives the fallback. */
    interface Guard {
        Object call(Supplier<Object> command, Object fallback);
    }

    private final UnifiedJedis redis;
    /** Gives the connection each subscription is made on, ended with it (never lent again: SubscriptionConnections). */
    private final Supplier<Connection> subscriptions;
    private final RedisKeys keys;
    private final String channel;
    private final Guard guard;
    private final Duration retry;
    /** Replaced by the log of the leases this one's store replaces ({@link #continuesEpisodesOf}), before listening. */
    private volatile FaultLog feedFaults;
    private final ChannelRefusals refusals;
    private final ConcurrentHashMap<String, Set<RedisContender>> contenders = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean live;
    private volatile Releases current;
    private volatile Thread listener;

    /** @param user the ACL user the store logs in as, or null for the default user (named when Redis refuses it) */
    RedisLeases(UnifiedJedis redis, Supplier<Connection> subscriptions, String prefix, Guard guard, Duration retry,
                String address, String user) {
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.keys = new RedisKeys(prefix + "lease:");
        this.channel = prefix + "leases";
        this.guard = guard;
        this.retry = retry;
        this.feedFaults = new FaultLog("Redis lease releases from " + address, MEANWHILE, System::nanoTime);
        this.refusals = new ChannelRefusals(address, user, channel, MEANWHILE);
    }

    /**
     * Reports through the logs of {@code replaced}, the leases of a store on the same connection that this one's store
     * replaces (a refusal or fault they reported goes on here without a second warning). Called before {@link #listen}.
     */
    void continuesEpisodesOf(RedisLeases replaced) {
        feedFaults = replaced.feedFaults;
        refusals.continues(replaced.refusals);
    }

    /** Starts the subscription that hears releases. */
    void listen() {
        Thread thread = DetachedThreads.daemon(this::subscribeUntilClosed, "response-cache-lease-releases");
        listener = thread;
        thread.start();
    }

    /** The Redis key of {@code key}'s lease. */
    String leaseKey(String key) {
        return new String(keys.of(key), StandardCharsets.UTF_8);
    }

    /** Whether releases are being heard now. */
    boolean live() {
        return live;
    }

    @Override
    public Contender contend(String key) {
        RedisContender contender = new RedisContender(leaseKey(key));
        contenders.compute(contender.leaseKey, (k, waiting) -> {
            Set<RedisContender> set = waiting == null ? ConcurrentHashMap.newKeySet() : waiting;
            set.add(contender);
            return set;
        });
        return contender;
    }

    @Override
    public void release(String key, String token) {
        String leaseKey = leaseKey(key);
        guard.call(() -> redis.eval(RELEASE, List.of(leaseKey), List.of(token, channel)), 0L);
    }

    @Override
    public boolean extend(String key, String token, Duration duration) {
        String leaseKey = leaseKey(key);
        Object reply = guard.call(() -> redis.eval(EXTEND, List.of(leaseKey),
                List.of(token, Long.toString(duration.toMillis()))), UNAVAILABLE);
        if (reply instanceof Long extended && extended != UNAVAILABLE) {
            return extended == 1L;
        }
        // Not asked (Redis judged unhealthy) or failed: the lease may still be ours, so the next renewal tries again.
        throw new IllegalStateException("the lease " + leaseKey + " could not be extended: Redis unavailable");
    }

    /**
     * Ends the subscription and waits (bounded) for its thread to end, so that a container that checks for threads
     * left behind by a stopped application (Tomcat) finds none.
     */
    void close() {
        closed.countDown();
        Releases subscription = current;
        if (subscription != null && subscription.isSubscribed()) {
            unsubscribe(subscription);
        }
        Thread thread = listener;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void unsubscribe(Releases subscription) {
        try {
            subscription.sends.unlessEnded(subscription::unsubscribe);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the lease subscription: " + e);
        }
    }

    private void subscribeUntilClosed() {
        while (closed.getCount() > 0) {
            Releases subscription = new Releases();
            current = subscription;
            try {
                Connection subscribed = subscriptions.get();
                try {
                    subscription.proceed(subscribed, channel);
                } finally {
                    subscription.sends.end();
                    SubscriptionConnections.discard(subscribed);
                }
            } catch (JedisDataException e) {
                // Redis answers but refuses: waits fall back to a backoff meanwhile.
                refused(e);
            } catch (JedisException | IllegalStateException e) {
                // Redis unreachable: the store's breaker reports the outage; leases are not asked for meanwhile.
                LOG.log(System.Logger.Level.DEBUG, "lease release subscription lost: " + e);
            } finally {
                live = false;
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

    /**
     * The user's ACL refuses the subscription: said once, with the permission to grant. A refused login is the store's
     * to report (its start-up error, its breaker): it fails every call, not this one alone. Any other error reply (a
     * proxy without pub/sub) is a fault of this subscription.
     */
    private void refused(JedisDataException e) {
        if (ChannelRefusals.isRefusal(e)) {
            refusals.refused(e);
        } else if (e instanceof JedisAccessControlException) {
            LOG.log(System.Logger.Level.DEBUG, "lease release subscription refused the login: " + e);
        } else {
            feedFaults.failed(e);
        }
    }

    private final class Releases extends JedisPubSub {
        /** Its {@code UNSUBSCRIBE}, sent by {@link #close()}, only on its own connection. */
        final SubscriptionSends sends = new SubscriptionSends();

        @Override
        public void onSubscribe(String subscribed, int count) {
            if (closed.getCount() == 0) {
                // Closed while subscribing: close() may have found nothing to unsubscribe yet.
                RedisLeases.unsubscribe(this);
                return;
            }
            live = true;
            feedFaults.succeeded();
            refusals.subscribed();
        }

        @Override
        public void onMessage(String from, String leaseKey) {
            Set<RedisContender> waiting = contenders.get(leaseKey);
            if (waiting != null) {
                waiting.forEach(RedisContender::released);
            }
        }
    }

    private final class RedisContender implements Contender {

        final String leaseKey;
        /** One permit per release heard since the latest {@link #tryTake}. */
        private final Semaphore releases = new Semaphore(0);
        private long backoffNanos = MIN_BACKOFF_NANOS;

        RedisContender(String leaseKey) {
            this.leaseKey = leaseKey;
        }

        void released() {
            releases.release();
        }

        @Override
        public long tryTake(String token, Duration duration) {
            // Releases heard before this attempt are answered by it: only later ones may end the next wait.
            releases.drainPermits();
            Object reply = guard.call(() -> redis.eval(TAKE, List.of(leaseKey),
                    List.of(token, Long.toString(duration.toMillis()))), UNAVAILABLE);
            return reply instanceof Long left ? left : UNAVAILABLE;
        }

        @Override
        public boolean awaitRelease(long nanos) throws InterruptedException {
            long wait = nanos;
            if (!live) {
                wait = Math.min(nanos, backoffNanos);
                backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
            }
            return releases.tryAcquire(Math.max(0, wait), TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            contenders.computeIfPresent(leaseKey, (k, waiting) -> {
                waiting.remove(this);
                return waiting.isEmpty() ? null : waiting;
            });
        }
    }
}
