package dev.responsecache.redis;

import dev.responsecache.ResponseCacheProperties;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * Jedis's Sentinel provider, built on first use rather than at start-up: Jedis's refuses to exist while no sentinel
 * answers, and the store must start (and serve uncached) through a Redis outage. Until a sentinel names the primary,
 * every call fails as an unreachable Redis does, which the store's breaker turns into misses and a probe per
 * cool-down. Once built, Jedis follows failovers itself: it listens to the sentinels' {@code +switch-master}.
 *
 * <p>Jedis does not hear every switch. Each of its listener threads asks its sentinel where the primary is and only
 * then subscribes (when the provider is built, and after every reconnection): a switch published between the two is
 * lost, and Jedis stays on the old primary, now a replica (reads that may lag, writes refused with {@code READONLY}),
 * until that sentinel connection breaks, which may be never. So the sentinels are asked again, on a thread of this
 * provider's: every {@link #PRIMARY_CHECK}, and soon after the primary answered {@code READONLY}
 * ({@link #primaryInDoubt}, at most once per cool-down). When most of the configured sentinels name another primary
 * than Jedis does, Jedis's provider is built anew (it asks the sentinels, makes its pool and listens again) and the
 * stale one closed. A majority, not the first answer: a sentinel that has not yet heard of a failover would send the
 * store back to the old primary. (The new provider itself takes the first answer, and each of its listeners its own
 * sentinel's: should one of them not have heard yet, the next check finds the difference and builds it again; the
 * {@link SentinelSwitchLog} says so once per episode, not once per check.)
 */
final class LazySentinelProvider implements ConnectionProvider {

    /** How often the sentinels are asked where the primary is, besides after a {@code READONLY} reply. */
    static final Duration PRIMARY_CHECK = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    private final String master;
    private final JedisClientConfig client;
    private final ConnectionPoolConfig pool;
    private final Set<HostAndPort> sentinels;
    private final JedisClientConfig sentinelClient;
    private final long listenerRetryMillis;
    private final ReentrantLock building = new ReentrantLock();
    private volatile SentineledConnectionProvider delegate;
    private volatile boolean closed;
    private final LongSupplier nanoTime;
    private final long checkEveryMillis;
    /** One thread, started with the first check: checks never overlap, and none runs on a request's thread. */
    private final ScheduledExecutorService checks =
            Executors.newSingleThreadScheduledExecutor(LazySentinelProvider::checkThread);
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final AtomicBoolean explanationQueued = new AtomicBoolean();
    /** When the latest check asked for by {@link #primaryInDoubt} was queued; valid once {@link #doubted}. */
    private volatile long doubtedAt;
    private volatile boolean doubted;
    /** Once per episode: a rebuilt provider can land again on a sentinel that still names the old primary. */
    private final SentinelSwitchLog switches;
    /** Once per sentinel and episode: a sentinel that refuses the question has no say, and Jedis would not tell. */
    private final NodeRefusals refusals;

    LazySentinelProvider(String master, JedisClientConfig client, ConnectionPoolConfig pool,
                         Set<HostAndPort> sentinels, JedisClientConfig sentinelClient, Duration listenerRetry,
                         Duration checkEvery, LongSupplier nanoTime) {
        this.master = master;
        this.client = client;
        this.pool = pool;
        // In the order configured (Set.copyOf's order changes from one JVM to the next): Jedis asks the sentinels in
        // this order for the primary and takes the first answer, which should not be a sentinel chosen by chance.
        this.sentinels = Collections.unmodifiableSet(new LinkedHashSet<>(sentinels));
        this.sentinelClient = sentinelClient;
        this.listenerRetryMillis = listenerRetry.toMillis();
        this.checkEveryMillis = checkEvery.toMillis();
        this.nanoTime = nanoTime;
        this.switches = new SentinelSwitchLog(master);
        this.refusals = new NodeRefusals("Redis Sentinel", sentinelClient.getUser(),
                "SENTINEL GET-MASTER-ADDR-BY-NAME", "+sentinel|get-master-addr-by-name",
                ResponseCacheProperties.REDIS_SENTINEL_USER + " and " + ResponseCacheProperties.REDIS_SENTINEL_PASSWORD,
                "the store cannot learn from it where the primary of " + master + " is, and follows no failover"
                        + " Jedis did not hear unless most sentinels answer");
    }

    /** The refusals of the sentinels asked where the primary is; taken over by the store that replaces this one. */
    NodeRefusals refusals() {
        return refusals;
    }

    @Override
    public Connection getConnection() {
        return provider().getConnection();
    }

    @Override
    public Connection getConnection(CommandArguments args) {
        return provider().getConnection(args);
    }

    @Override
    public Map<?, ?> getConnectionMap() {
        return provider().getConnectionMap();
    }

    @Override
    public Map<?, ?> getPrimaryNodesConnectionMap() {
        return provider().getPrimaryNodesConnectionMap();
    }

    /**
     * The primary the sentinels last named (Jedis follows their {@code +switch-master}), or null while no sentinel
     * has named one yet. Jedis names the new primary before it replaces the pool with one that reaches it.
     */
    HostAndPort currentMaster() {
        SentineledConnectionProvider built = delegate;
        return built == null ? null : built.getCurrentMaster();
    }

    /** Throws what Jedis throws when no sentinel answers (a connection exception): a miss for the store. */
    private SentineledConnectionProvider provider() {
        SentineledConnectionProvider built = delegate;
        if (built != null) {
            return built;
        }
        // One caller asks the sentinels; the others go uncached meanwhile rather than queue behind it.
        if (!building.tryLock()) {
            throw new JedisConnectionException("the sentinels are being asked where " + master + " is");
        }
        try {
            if (delegate == null) {
                if (closed) {
                    throw new IllegalStateException("closed");
                }
                // Each sentinel is asked within the connect and read timeouts.
                try {
                    delegate = built();
                } catch (RuntimeException noSentinelAnswered) {
                    whyNoSentinelAnswered();
                    throw noSentinelAnswered;
                }
                // Not closed (checked above, under the same lock as close): the checks are still accepted.
                checks.scheduleWithFixedDelay(this::check, checkEveryMillis, checkEveryMillis,
                        TimeUnit.MILLISECONDS);
            }
            return delegate;
        } finally {
            building.unlock();
        }
    }

    /**
     * The check thread. It is started by the request that first reaches Redis and lives as long as the store: it
     * takes nothing of that request's thread, neither its inheritable thread-locals (a request's values kept alive,
     * and seen by the check) nor its context class loader (an application's kept from collection after it stopped).
     */
    static Thread checkThread(Runnable task) {
        return DetachedThreads.daemon(task, "response-cache-sentinel-check");
    }

    private SentineledConnectionProvider built() {
        return new SentineledConnectionProvider(master, client, pool, sentinels, sentinelClient, listenerRetryMillis);
    }

    /**
     * Jedis's provider could not be built: its error says only that no sentinel answered, and Jedis skips a sentinel
     * that refused the login or the question as it skips one that is down. The sentinels are asked again on the check
     * thread (not the request's: a hung sentinel costs a read timeout), so that a refusal is logged as one; at most
     * one such question queued at a time (a failed build is retried once per cool-down, by the breaker's probe).
     */
    private void whyNoSentinelAnswered() {
        if (!explanationQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            checks.execute(() -> {
                explanationQueued.set(false);
                if (!closed) {
                    namedByMostSentinels();
                }
            });
        } catch (RejectedExecutionException closing) {
            explanationQueued.set(false);
        }
    }

    /**
     * The primary answered as a replica does ({@code READONLY}): Jedis may have missed a switch. The sentinels are
     * asked soon, on the check thread; at most once per cool-down, so that a store refused for another reason (a
     * replica named as the primary by mistake) does not become a stream of questions to the sentinels.
     */
    void primaryInDoubt() {
        if (delegate == null || closed) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (doubted && now - doubtedAt < listenerRetryMillis * 1_000_000L) {
            return;
        }
        if (!checkQueued.compareAndSet(false, true)) {
            return;
        }
        doubtedAt = now;
        doubted = true;
        try {
            checks.execute(() -> {
                checkQueued.set(false);
                check();
            });
        } catch (RejectedExecutionException closing) {
            checkQueued.set(false);
        }
    }

    /** Asks the sentinels where the primary is; follows a majority that names another one than Jedis does. */
    private void check() {
        try {
            SentineledConnectionProvider known = delegate;
            if (known == null || closed) {
                return;
            }
            HostAndPort named = namedByMostSentinels();
            HostAndPort followed = known.getCurrentMaster();
            if (named == null) {
                return;
            }
            if (named.equals(followed)) {
                switches.following(named);
                return;
            }
            switches.rebuilding(named, followed);
            SentineledConnectionProvider fresh = built();
            building.lock();
            try {
                if (closed || delegate != known) {
                    fresh.close();
                    return;
                }
                delegate = fresh;
            } finally {
                building.unlock();
            }
            known.close();
        } catch (RuntimeException e) {
            // No sentinel answered the new provider (or something unforeseen): the next check tries again.
            LOG.debug("asking the sentinels where {} is failed: {}", master, e.toString());
        }
    }

    /** The primary most of the configured sentinels name (each asked within the timeouts), or null if none does. */
    private HostAndPort namedByMostSentinels() {
        Map<HostAndPort, Integer> votes = new HashMap<>();
        for (HostAndPort sentinel : sentinels) {
            try (Jedis jedis = new Jedis(sentinel, sentinelClient)) {
                List<String> address = jedis.sentinelGetMasterAddrByName(master);
                refusals.answered(sentinel);
                if (address != null && address.size() == 2) {
                    votes.merge(new HostAndPort(address.get(0), Integer.parseInt(address.get(1))), 1, Integer::sum);
                }
            } catch (JedisAccessControlException e) {
                // Jedis logs in as it sends the first command: a refused login and a refused command look alike.
                if (isLoginRefusal(e)) {
                    refusals.loginRefused(sentinel, e);
                } else {
                    refusals.commandRefused(sentinel, e);
                }
            } catch (JedisDataException e) {
                refusals.commandRefused(sentinel, e);
            } catch (JedisException | NumberFormatException e) {
                // A sentinel that does not answer has no say (an outage is the breaker's to report).
            }
        }
        int majority = sentinels.size() / 2 + 1;
        return votes.entrySet().stream().filter(vote -> vote.getValue() >= majority).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /**
     * {@code WRONGPASS} is a refused login; so is a {@code NOPERM} that names no command ({@code AUTH} and
     * {@code HELLO} are allowed to every user, so a {@code NOPERM} during the login is about the user itself).
     */
    static boolean isLoginRefusal(JedisAccessControlException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("WRONGPASS") || !message.contains("command");
    }

    @Override
    public void close() {
        HostAndPort followed = null;
        building.lock();
        try {
            closed = true;
            checks.shutdownNow();
            if (delegate != null) {
                followed = delegate.getCurrentMaster();
                delegate.close();
            }
        } finally {
            building.unlock();
        }
        switches.closed(followed);
    }
}
