package dev.responsecache.redis;

import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.EvictionFeed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
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
 * as evictions may have been missed meanwhile. Being subscribed is proven, not assumed: a subscription silent for
 * {@link #PING_AFTER} is sent a {@code PING}, and one whose {@code PING} goes unanswered for {@link #PONG_WAIT} is not
 * live (the near tier is dropped and bypassed) and its connection is closed, to subscribe again; so is the connection of
 * a {@code SUBSCRIBE} or {@code UNSUBSCRIBE} unanswered for {@link #PONG_WAIT}, as Jedis waits for those with no read
 * timeout and a new attempt may be made on an idle pooled connection to the same hung node. A node that hangs
 * with its connections open (a stopped process, a partition without a TCP reset) would otherwise keep a subscription
 * that hears nothing counted as live until TCP gave up on it, minutes later, while evictions published through other
 * nodes or instances never reach this one. On Sentinel, besides, a subscription to a primary the sentinels replaced
 * is not live from the moment Jedis hears of the new one ({@link #follow}): the old one may hang without a reset
 * (stopped, cut off) while every eviction is published on the new one. On a Redis Cluster the channel is a classic
 * one: each instance subscribes on whichever node it reaches, and the Cluster forwards every {@code PUBLISH} to every
 * node (sharded pub/sub would tie the channel to one slot's node, and needs Redis 7).
 */
final class RedisEvictionFeed implements EvictionFeed {

    private static final System.Logger LOG = System.getLogger("dev.responsecache");

    private final UnifiedJedis redis;
    private final String channel;
    private final Duration retry;
    /** Replaced by the log of the feed this one replaces ({@link #continuesEpisodesOf}), before it listens. */
    private volatile FaultLog faults;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean live = new AtomicBoolean();
    /**
     * Whether a refusal of {@code PUBLISH} by the user's ACL was logged: once, it is a configuration, not an episode.
     * Replaced by the replaced feed's ({@link #continuesEpisodesOf}): a cache opened again does not say it again.
     */
    private volatile AtomicBoolean aclRefusalReported = new AtomicBoolean();
    /** The user the store logs in as, for the refusals' advice ({@code <user>} when not told). */
    private volatile String user = "<user>";
    /** The subscription refused by the user's ACL; replaced as {@link #faults} is, before it listens. */
    private volatile ChannelRefusals refusals;
    private final String address;
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

    /** How long a subscription may be silent before it is asked to answer a {@code PING}. */
    static final Duration PING_AFTER = Duration.ofSeconds(1);
    /**
     * How long a {@code PING} may go unanswered before the subscription is judged lost: an instance's near tier may
     * answer an evicted entry for at most {@code PING_AFTER + PONG_WAIT} (3 s) after its node hangs. Redis answers a
     * {@code PING} in well under a millisecond; two seconds leave room for a busy server or a slow network.
     */
    static final Duration PONG_WAIT = Duration.ofSeconds(2);
    private static final long NO_PING = Long.MIN_VALUE;
    /** The pinging thread's shortest wait: a deadline just past is acted on this late at most, never in a spin. */
    private static final long MIN_CHECK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Gives the connection each subscription is made on: the feed closes it when the subscription falls silent. */
    private final Supplier<Connection> subscriptions;
    /** The monotonic time source (nanoseconds) the pings are timed by: tests move it instead of waiting. */
    private final LongSupplier nanoTime;
    /** When the subscription was last heard from: subscribed, a message or a pong. */
    private volatile long heardAt;
    /** When the unanswered PING was sent, or {@link #NO_PING}. */
    private final AtomicLong pingedAt = new AtomicLong(NO_PING);
    /** The connection the current subscription is made on, or null. */
    private volatile Connection connection;
    /** Pings the subscription and judges its answers at their deadlines ({@link #check()}). */
    private volatile Thread pinger;
    /**
     * Set when the pinging thread ended before {@link #close()} (interrupted, or a fault it did not survive): nothing
     * judges the subscription any more, and {@link #live()} reads no clock to judge it itself, so the feed is never
     * live again.
     */
    private volatile boolean unjudged;
    /**
     * The request sent on the subscription's connection that its node has not answered yet (a {@code SUBSCRIBE} not
     * confirmed, an {@code UNSUBSCRIBE} from a primary left behind), or null. Jedis waits for those without a read
     * timeout, and no {@code PING} is sent while not live: on a node that hangs, the subscribing thread would wait for
     * good, so the pinging thread closes a connection whose request goes unanswered for {@link #PONG_WAIT}.
     */
    private final AtomicReference<Awaited> awaited = new AtomicReference<>();
    /** How many subscriptions were attempted: tests see a hung attempt given up without the node answering. */
    private final AtomicLong attempts = new AtomicLong();
    /** How many subscriptions Redis confirmed: tests see one handled after the pinging thread ended. */
    private final AtomicLong confirmed = new AtomicLong();

    private static final byte[] EVICTED = "evicted".getBytes(StandardCharsets.US_ASCII);
    /** {@code PUBLISH}'s arguments: the channel and the message. */
    private final byte[][] publishedAs;
    /**
     * The key whose node a {@code PUBLISH} is sent to on a Cluster (elsewhere the key is not used): the eviction
     * counter's, which the eviction has just advanced on that node. A Cluster forwards it to every node; sent with no
     * key, Jedis would ping the primaries in a random order on the evicting request's thread, a hung one costing a
     * read timeout before the next is tried.
     */
    private final byte[] publishedOn;

    /** A request awaiting its node's answer on {@code connection}, sent at {@code sentAt} (nanoTime). */
    private record Awaited(Connection connection, long sentAt) {
    }

    RedisEvictionFeed(UnifiedJedis redis, Supplier<Connection> subscriptions, String prefix, Duration retry,
                      String address, Runnable reserveConnection, LongSupplier nanoTime) {
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.nanoTime = nanoTime;
        this.reserveConnection = reserveConnection;
        this.channel = prefix + "evictions";
        this.publishedAs = new byte[][] {channel.getBytes(StandardCharsets.UTF_8), EVICTED};
        this.publishedOn = RedisTagIndex.counter(prefix).getBytes(StandardCharsets.UTF_8);
        this.retry = retry;
        this.faults = new FaultLog("Redis eviction feed from " + address);
        this.address = address;
        this.refusals = refusals(user);
    }

    /** The ACL user the store logs in as (null for the default user), named when Redis refuses it the channel. */
    RedisEvictionFeed loggedInAs(String aclUser) {
        user = aclUser == null ? "default" : aclUser;
        refusals = refusals(aclUser);
        return this;
    }

    private ChannelRefusals refusals(String aclUser) {
        return new ChannelRefusals(address, aclUser, channel, "this instance's near tier is bypassed (every read goes"
                + " to Redis)");
    }

    /**
     * Reports faults through {@code replaced}'s log, the feed of a store to the same server that this one's store
     * replaces: an outage that feed warned of goes on here without a second warning, and its end is reported once.
     */
    void continuesEpisodesOf(RedisEvictionFeed replaced) {
        faults = replaced.faults;
        refusals.continues(replaced.refusals);
        aclRefusalReported = replaced.aclRefusalReported;
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
            redis.sendCommand(publishedOn, Protocol.Command.PUBLISH, publishedAs);
            return true;
        } catch (JedisAccessControlException e) {
            if (aclRefusalReported.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Redis refused to publish evictions on " + channel + " ("
                        + e.getMessage() + "): the near tiers of other instances logged in as another user are not"
                        + " told of evictions; grant this user the channel (ACL SETUSER " + user + " &" + channel
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
        Thread thread = DetachedThreads.daemon(this::subscribeUntilClosed, "response-cache-eviction-feed");
        subscriber = thread;
        thread.start();
        Thread pinging = DetachedThreads.daemon(this::pingUntilClosed, "response-cache-eviction-feed-ping");
        pinger = pinging;
        pinging.start();
    }

    /**
     * The pinging thread: it wakes at the feed's next deadline (a {@code PING} due, a pong or an answer to a
     * subscription overdue), so that {@link #live()}, asked on every near hit, reads no clock.
     */
    private void pingUntilClosed() {
        try {
            while (!closed.await(nanosToNextCheck(), TimeUnit.NANOSECONDS)) {
                check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            judgedNoMore(e);
        } catch (RuntimeException | Error e) {
            // Logged there, once: the thread ends either way.
            judgedNoMore(e);
        }
    }

    /**
     * The pinging thread ends before {@link #close()}: a subscription still counted live would stay so for good, its
     * node hanging or not, and the near tier answer evicted entries. So the feed is not live from now on (the near tier
     * dropped and bypassed, reads going to Redis), and says so once.
     */
    private void judgedNoMore(Throwable cause) {
        if (closed.getCount() == 0) {
            return;
        }
        unjudged = true;
        if (live.getAndSet(false)) {
            dropNear();
        }
        LOG.log(System.Logger.Level.ERROR, "the Redis eviction feed's pinging thread ended (" + cause + "): its"
                + " subscription can no longer be proven live, so the near tier is bypassed until the store is"
                + " started again", cause);
    }

    /**
     * What the pinging thread does at each deadline: pings a subscription silent for {@link #PING_AFTER}, judges one
     * whose {@code PING} went unanswered for {@link #PONG_WAIT} not live, and gives up a subscription left unanswered
     * as long. Tests that move the feed's time call it rather than wait for the thread.
     */
    void check() {
        if (live.get()) {
            pingOrJudgeSilent();
        }
        giveUpUnanswered();
    }

    /**
     * How long the pinging thread may wait before {@link #check()} has something to do: until a silent subscription
     * is due a {@code PING} (or, one second after a {@code PING}, its pong will have come and the next is due), until a
     * {@code PING} or a subscription request is overdue; at most {@link #PING_AFTER}, as a new subscription sets no
     * deadline it could wake the thread for, and at least {@link #MIN_CHECK_WAIT_NANOS}.
     */
    private long nanosToNextCheck() {
        long now = nanoTime.getAsLong();
        long wait = PING_AFTER.toNanos();
        if (live.get()) {
            long pinged = pingedAt.get();
            long due;
            if (pinged == NO_PING) {
                due = heardAt + PING_AFTER.toNanos();
            } else if (now - pinged < PING_AFTER.toNanos()) {
                due = pinged + PING_AFTER.toNanos();
            } else {
                due = pinged + PONG_WAIT.toNanos();
            }
            wait = Math.min(wait, due - now);
        }
        Awaited waiting = awaited.get();
        if (waiting != null) {
            wait = Math.min(wait, waiting.sentAt() + PONG_WAIT.toNanos() - now);
        }
        return Math.max(wait, MIN_CHECK_WAIT_NANOS);
    }

    /**
     * Judges the subscription {@link #silent()} once a {@code PING} went unanswered for {@link #PONG_WAIT}; sends one
     * when it has been silent for {@link #PING_AFTER} and none is awaited.
     */
    private void pingOrJudgeSilent() {
        long now = nanoTime.getAsLong();
        long pinged = pingedAt.get();
        if (pinged != NO_PING) {
            if (now - pinged >= PONG_WAIT.toNanos()) {
                silent();
            }
            return;
        }
        if (now - heardAt >= PING_AFTER.toNanos() && pingedAt.compareAndSet(NO_PING, now)) {
            Subscription subscription = current;
            try {
                subscription.sends.unlessEnded(subscription::ping);
            } catch (RuntimeException e) {
                // A connection that cannot take the PING fails the subscription's read too, or the PING's wait.
                LOG.log(System.Logger.Level.DEBUG, "pinging the eviction feed: " + e);
            }
        }
    }

    /**
     * Closes the connection of a {@code SUBSCRIBE} or {@code UNSUBSCRIBE} unanswered for {@link #PONG_WAIT}: its node
     * hangs, and the subscribing thread, freed by the closed connection, tries again (on a Cluster perhaps on another
     * node, on Sentinel on the primary now named). The near tier is bypassed meanwhile, as the feed is not live.
     */
    private void giveUpUnanswered() {
        Awaited waiting = awaited.get();
        if (waiting != null && nanoTime.getAsLong() - waiting.sentAt() >= PONG_WAIT.toNanos()
                && awaited.compareAndSet(waiting, null)) {
            faults.failed(new JedisConnectionException("Redis did not answer the eviction feed's subscription within "
                    + PONG_WAIT.toMillis() + " ms; subscribing again"));
            disconnect(waiting.connection());
        }
    }

    private static void disconnect(Connection held) {
        try {
            held.disconnect();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a silent eviction feed: " + e);
        }
    }

    /** How many subscriptions Redis confirmed since {@link #listen}. */
    long confirmed() {
        return confirmed.get();
    }

    /** How many subscriptions were attempted since {@link #listen}. */
    long attempts() {
        return attempts.get();
    }

    /** Whether a {@code PING} was sent and its pong has not come yet. */
    boolean awaitingPong() {
        return pingedAt.get() != NO_PING;
    }

    /**
     * The subscription did not answer its {@code PING}: its node hangs, or the network to it. Evictions published
     * meanwhile are not heard, so the near tier is dropped and bypassed, and the connection closed: the subscribing
     * thread then subscribes again (on a Cluster, perhaps on another node), dropping the near tier once more.
     */
    private void silent() {
        if (live.compareAndSet(true, false)) {
            dropNear();
            faults.failed(new JedisConnectionException("the subscription did not answer a PING within "
                    + PONG_WAIT.toMillis() + " ms; bypassing the near tier and subscribing again"));
            Connection held = connection;
            if (held != null) {
                disconnect(held);
            }
        }
    }

    /**
     * Makes the subscription follow the primary {@code primary} names (Sentinel's, as Jedis hears of failovers): a
     * subscription made while another was named is dropped and made again, and not live meanwhile. Called before
     * {@link #listen}.
     */
    void follow(Supplier<?> primary) {
        this.primary = primary;
    }

    /**
     * Subscribed, and not judged silent: the pinging thread times the pings ({@link #check()}), so a near hit, which
     * asks this, reads no clock. On Sentinel, besides, subscribed to the primary Jedis names now.
     */
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
     * answers the unsubscription, or once it went unanswered for {@link #PONG_WAIT} and its connection was closed; until
     * then the near tier stays bypassed).
     */
    private void leftBehind() {
        if (live.compareAndSet(true, false)) {
            dropNear();
            Subscription subscription = current;
            Connection held = connection;
            if (held != null) {
                // Only if nothing is awaited: a subscription ended meanwhile may have begun its successor's attempt.
                awaited.compareAndSet(null, new Awaited(held, nanoTime.getAsLong()));
            }
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
            attempts.incrementAndGet();
            Connection subscribed = null;
            try {
                subscribed = subscriptions.get();
                connection = subscribed;
                if (closed.getCount() == 0) {
                    // Closed as it was made: close() may have read no connection to close.
                    return;
                }
                awaited.set(new Awaited(subscribed, nanoTime.getAsLong()));
                subscription.proceed(subscribed, channel);
            } catch (RuntimeException e) {
                // Jedis's faults, and any other (a reply it did not expect): a lost attempt, tried again, never the
                // thread's end, which would leave the near tier bypassed for good with nothing said.
                if (closed.getCount() > 0) {
                    failed(e);
                }
            } finally {
                connection = null;
                awaited.set(null);
                if (subscribed != null) {
                    // Never back to the pool: this feed may still close it (SubscriptionConnections); nor sent on.
                    subscription.sends.end();
                    SubscriptionConnections.discard(subscribed);
                }
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

    /**
     * A refusal by the user's ACL is said once, with the permission to grant ({@link ChannelRefusals}); any other fault
     * is this subscription's episode.
     */
    private void failed(RuntimeException fault) {
        if (ChannelRefusals.isRefusal(fault)) {
            refusals.refused(fault);
        } else {
            faults.failed(fault);
        }
    }

    void close() {
        closed.countDown();
        Subscription subscription = current;
        if (subscription != null && subscription.isSubscribed()) {
            unsubscribe(subscription);
        }
        // Jedis reads the subscription with no timeout, and a node that hangs never answers the UNSUBSCRIBE: the
        // subscribing thread would wait for good, holding the application's class loader. Closing the connection
        // ends its read whatever the node does (and unsubscribes it on the node as well).
        Connection held = connection;
        if (held != null) {
            disconnect(held);
        }
        join(subscriber);
        join(pinger);
    }

    private static void join(Thread thread) {
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
            subscription.sends.unlessEnded(subscription::unsubscribe);
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
        /** Its {@code UNSUBSCRIBE} and {@code PING}, sent from other threads, only on its own connection. */
        final SubscriptionSends sends = new SubscriptionSends();

        @Override
        public void onSubscribe(String subscribed, int count) {
            if (closed.getCount() == 0) {
                // Closed while subscribing: close() may have found nothing to unsubscribe yet.
                RedisEvictionFeed.unsubscribe(this);
                return;
            }
            // Evictions may have been missed while not subscribed: drop first, then keep copies again.
            awaited.set(null);
            dropNear();
            heardAt = nanoTime.getAsLong();
            pingedAt.set(NO_PING);
            live.set(true);
            if (unjudged) {
                // Read after the flag is set: the pinging thread, ending, sets unjudged before it clears the flag.
                live.set(false);
            } else {
                faults.succeeded();
                refusals.subscribed();
            }
            confirmed.incrementAndGet();
        }

        @Override
        public void onMessage(String from, String message) {
            heardAt = nanoTime.getAsLong();
            dropNear();
        }

        @Override
        public void onPong(String pattern) {
            heardAt = nanoTime.getAsLong();
            pingedAt.set(NO_PING);
        }
    }
}
