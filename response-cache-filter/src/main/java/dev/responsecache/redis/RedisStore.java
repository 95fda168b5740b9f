package dev.responsecache.redis;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.UnreadableEntryException;
import dev.responsecache.spi.EvictionFeed;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreStatus;
import dev.responsecache.spi.StoreUnavailableException;

import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import redis.clients.jedis.Connection;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entries in Redis as {@link EntryCodec} bytes, each set with {@code PX} to its remaining time to live on the cache's
 * clock so that Redis drops it by itself. A hit is one {@code GET}; storing is one {@code SET}.
 *
 * <p>Nothing Redis does reaches a request as an exception. A connection failure or timeout is a miss (or a skipped
 * write); so is a call that finds every pooled connection busy, at once (a busy pool is not an outage). A circuit
 * breaker judges the calls over a window: when they mostly fail or are slow, Redis is treated as down and not called
 * until a probe finds it well again, so a slow Redis costs requests no more than a dead one. An error reply (a full
 * Redis refusing writes, a wrong password) is a miss or a skipped write too; a value this store cannot read (corrupt,
 * truncated, another format, another Redis type) is a miss that the next store overwrites. Logs say what changed:
 * one warning when Redis is judged unhealthy, one line when it is well again.
 */
final class RedisStore implements ResponseStore {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    /** The breaker's window: long enough to judge a quiet application, read as ten one-second buckets. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Fewer calls than this in the window are too few to judge by rate (consecutive failures still open it). */
    static final int MIN_CALLS = 10;

    private final UnifiedJedis redis;
    /** Connections for the standing subscriptions, each ended with its subscription (SubscriptionConnections). */
    private final Supplier<Connection> subscriptions;
    private final Runnable dropIdleConnections;
    /** Grows the request pool by the connection a standing subscription takes from it (a no-op where it does not). */
    private final Runnable reserveConnection;
    private final RedisKeys keys;
    private final DecodedEntries decoded;
    private final Clock clock;
    private final String address;
    /** Which connection this is, for a store opened in place of another ({@link #startedInPlaceOf}). */
    private final RedisSettings settings;
    /** A read the breaker kept from Redis: nothing known, and nothing new to report (the breaker reported it). */
    private static final StoreUnavailableException BREAKER_OPEN =
            new StoreUnavailableException("Redis is judged down (circuit breaker open)");
    /** A read that failed: reported by this store's fault logs, not again by the cache. */
    private static final StoreUnavailableException UNREACHABLE =
            new StoreUnavailableException("Redis did not answer the read");
    private final CircuitBreaker breaker;
    /** Replaced by the replaced store's logs ({@link #startedInPlaceOf}) before any request uses this store. */
    private volatile FaultLog readErrors;
    private volatile FaultLog writeErrors;
    private final EntryFaults unusable;
    private final StoreFaults faults = new StoreFaults();
    private final Duration callBound;
    private volatile Throwable latestFault;
    private final RedisTagIndex tags;
    private final RedisEvictionFeed feed;
    private final String keyPrefix;
    private final Duration retry;
    /**
     * Guards {@link #leases}. A lock, not a monitor: the leases start (a pooled connection reserved, a subscribing
     * thread) and close (an unsubscribe sent to Redis, a bounded join) under it; a virtual thread blocked inside a
     * monitor pins its carrier thread on Java 21 to 23.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private RedisLeases leases;
    /**
     * Whether {@link #started} or {@link #startedInPlaceOf} ran: the lease subscription starts then, not before.
     * Guarded by {@link #lock}.
     */
    private boolean startDecided;
    /** Run after a call failed to reach Redis: {@link #renewsTopologyOnFaults}. */
    private volatile Runnable topologyInDoubt = () -> { };
    /** The refusals of the nodes asked in the background (sentinels, Cluster nodes): {@link #refusalsLoggedBy}. */
    private volatile NodeRefusals refusals;
    /** Run after a {@code READONLY} reply: {@link #asksAgainOnReadOnly}. */
    private volatile Runnable primaryInDoubt = () -> { };

    /** Hits read through pipelined connections (every topology), or with a pooled {@code GET} each when null. */
    private final HitReads pipelined;

    RedisStore(UnifiedJedis redis, Supplier<Connection> subscriptions, Runnable dropIdleConnections,
               Runnable reserveConnection, RedisSettings settings, Clock clock, LongSupplier nanoTime,
               HitReads pipelined) {
        this.pipelined = pipelined;
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.dropIdleConnections = dropIdleConnections;
        this.reserveConnection = reserveConnection;
        this.keys = new RedisKeys(settings.keyPrefix());
        this.decoded = new DecodedEntries(keys::of);
        this.callBound = callBound(settings);
        this.clock = clock;
        this.address = settings.topology().address();
        this.settings = settings;
        this.breaker = new CircuitBreaker(WINDOW.toNanos(), MIN_CALLS, settings.slowCall().toNanos(),
                settings.coolDown().toNanos(), nanoTime, new BreakerLog());
        // Separate logs for reads and writes: a full Redis refuses every write yet answers every read, and one
        // shared log would report a new fault and a recovery on every request.
        this.readErrors = new FaultLog("Redis reads from " + address, nanoTime);
        this.writeErrors = new FaultLog("Redis writes to " + address, nanoTime);
        this.unusable = new EntryFaults(address, nanoTime);
        this.tags = new RedisTagIndex(redis, settings.keyPrefix(), settings.readTimeoutMillis(), () -> { }, () -> { });
        this.feed = new RedisEvictionFeed(redis, subscriptions, settings.keyPrefix(), settings.coolDown(), address,
                reserveConnection, nanoTime).loggedInAs(settings.uri().user());
        this.keyPrefix = settings.keyPrefix();
        this.retry = settings.coolDown();
    }

    /**
     * For a store on the same connection as {@code replaced} ({@link RedisSettings#sameConnection}: the same
     * addresses, login, database, key prefix and TLS): its outage goes on here, not reported again. Its fault logs
     * are taken over (an episode they warned of ends with one "recovered" line), those of its eviction feed and lease
     * subscription too, and while its breaker is open this one opens without a warning and without a {@code PING} of
     * its own (its probe finds the recovery); else Redis is asked as at any start-up, and a fault it meets now is a
     * new episode, warned of. Another connection (another Redis, or the same one with another password, user,
     * database or prefix, which may meet faults the replaced one did not) is another store: {@link #started()}, with
     * its own warnings.
     */
    @Override
    public void startedInPlaceOf(ResponseStore replaced) {
        if (!(replaced instanceof RedisStore previous) || !previous.settings.sameConnection(settings)) {
            started();
            return;
        }
        readErrors = previous.readErrors;
        writeErrors = previous.writeErrors;
        feed.continuesEpisodesOf(previous.feed);
        if (refusals != null && previous.refusals != null) {
            refusals.continues(previous.refusals);
        }
        RedisLeases previousLeases;
        previous.lock.lock();
        try {
            previousLeases = previous.leases;
        } finally {
            previous.lock.unlock();
        }
        if (previous.breaker.isOpen()) {
            latestFault = previous.latestFault;
            breaker.openReported();
        } else {
            // A login refusal the replaced store reported goes on in the log taken over, without its error line again.
            pingAtStart(previous.readErrors.failuresSinceSuccess() == 0);
        }
        listenForReleases(previousLeases);
    }

    /** Says once at start-up whether Redis answers; an unreachable Redis is logged, not fatal. */
    @Override
    public void started() {
        pingAtStart(true);
        listenForReleases(null);
    }

    /**
     * Starts the lease subscription, if the cache asked for leases, with the episodes of {@code replaced} (the leases
     * of the store this one replaces, or null) taken over first. Not before: the cache asks for the leases before it
     * starts the store, and a subscription started then would report a refusal the replaced store had reported,
     * before this store could know it was the same episode; and its warnings would come above the start-up line.
     */
    private void listenForReleases(RedisLeases replaced) {
        lock.lock();
        try {
            if (startDecided) {
                return;
            }
            startDecided = true;
            if (leases != null) {
                if (replaced != null) {
                    leases.continuesEpisodesOf(replaced);
                }
                leases.listen();
            }
        } finally {
            lock.unlock();
        }
    }

    private void pingAtStart(boolean reportsRefusal) {
        try {
            if (redis.ping() == null) {
                // A Cluster client that knows no node yet (none answered) sends its PING to nobody.
                throw new JedisConnectionException("no Redis node answered");
            }
            createEvictionCounter();
        } catch (JedisDataException e) {
            errorReply(e);
            if (e instanceof JedisAccessControlException && reportsRefusal) {
                LOG.error("Redis at " + address + " refused the login (" + e.getMessage() + "). Check the user and"
                        + " password in " + ResponseCacheProperties.REDIS_URI + " and the user's ACL; serving"
                        + " uncached meanwhile");
            }
            readErrors.failed(e);
        } catch (JedisException e) {
            latestFault = e;
            faults.connection();
            tlsRefused(e);
            breaker.openNow();
        }
    }

    /**
     * Creates the eviction counter when Redis has none yet, so that the first miss need not (it would, as it does after
     * Redis lost the counter). Best effort: a fault here is the first miss's to meet and report.
     */
    private void createEvictionCounter() {
        try {
            tags.mark();
        } catch (JedisException | NumberFormatException e) {
            LOG.debug("the eviction counter is left to the first miss: " + e);
        }
    }

    /** A TLS failure at start-up is a configuration mistake more often than an outage: say which, and where to look. */
    private void tlsRefused(JedisException fault) {
        for (Throwable cause = fault; cause != null; cause = cause.getCause()) {
            if (cause instanceof javax.net.ssl.SSLException) {
                LOG.error("TLS handshake with Redis at " + address + " failed: " + cause.getMessage() + ". Check that "
                        + ResponseCacheProperties.REDIS_TRUST_STORE + " (or the JVM's trust store) holds the CA that"
                        + " signed the server's certificate, that the certificate names the host in "
                        + ResponseCacheProperties.REDIS_URI + ", and " + ResponseCacheProperties.REDIS_KEY_STORE
                        + " if the server asks for a client certificate; serving uncached meanwhile");
                return;
            }
        }
    }

    /** {@link #lookUp}, with a read Redis could not answer taken as nothing stored. */
    @Override
    public CacheEntry get(String key) {
        try {
            return lookUp(key);
        } catch (StoreUnavailableException e) {
            return null;
        }
    }

    @Override
    public CacheEntry lookUp(String key) {
        if (!breaker.allowsCall()) {
            throw BREAKER_OPEN;
        }
        long start = breaker.start();
        byte[] value;
        byte[] redisKey = decoded.redisKey(key);
        try {
            value = pipelined == null ? redis.get(redisKey) : pipelined.get(redisKey, decoded.lastValue(key));
            breaker.answered(start);
            readErrors.succeeded();
        } catch (JedisAccessControlException e) {
            // A refused login or command is a misconfiguration that fails every call: judged like an outage.
            unreachable(start, e);
            throw UNREACHABLE;
        } catch (JedisDataException e) {
            breaker.answered(start);
            if (isWrongType(e)) {
                // Someone else's list or hash at our key: a miss, and our next SET replaces it.
                faults.unusableValue();
                unusable.unusable(key, "a Redis value of another type");
            } else {
                errorReply(e);
                readErrors.failed(e);
            }
            return null;
        } catch (JedisException e) {
            unreachable(start, e);
            throw UNREACHABLE;
        }
        if (value == null) {
            decoded.absent(key);
            return null;
        }
        try {
            return decoded.decoded(key, redisKey, value);
        } catch (UnreadableEntryException e) {
            decoded.absent(key);
            // Not an outage: a miss, and the response about to be stored overwrites the value.
            faults.unusableValue();
            unusable.unusable(key, e.getMessage());
            return null;
        }
    }

    @Override
    public void put(CacheEntry entry) {
        long ttlMillis = entry.retainedMillis(clock.millis());
        if (ttlMillis <= 0 || !breaker.allowsCall()) {
            return;
        }
        byte[] value = EntryCodec.encode(entry);
        written(() -> redis.set(keys.of(entry.key()), value, SetParams.setParams().px(ttlMillis)), null);
    }

    /** A new connection is made within the connect timeout, each of a call's round trips within the read timeout. */
    @Override
    public Duration callBound() {
        return callBound;
    }

    /**
     * The longest call is a tagged store: up to four round trips (the epochs, the SET alone on a Cluster, the pipelined
     * index scripts, which answer the epochs again, and a DEL of its own entry when an eviction overtook it). On one
     * server (or Sentinel's primary) they share one connection, each within the read timeout; on a Cluster each may
     * be another node's, with its own pool wait, new connection and second attempt after a redirection.
     */
    static Duration callBound(RedisSettings settings) {
        if (settings.topology().kind() == RedisTopology.Kind.CLUSTER) {
            return RedisConnections.clusterCommandBound(settings).multipliedBy(4);
        }
        return RedisSettings.POOL_WAIT.plus(settings.connectTimeout()).plus(settings.readTimeout().multipliedBy(4));
    }

    /** The implicit tag of every entry, for {@link #evictAll}: user tags are never blank, path tags start with /. */
    private static final String ALL = "";

    /**
     * The current eviction epoch; when Redis cannot tell, the earliest mark there is, which any eviction Redis still
     * remembers refuses (and a store in the same outage fails anyway). Faults are logged here, with the reads.
     */
    @Override
    public long invalidationMark() {
        if (!breaker.allowsCall()) {
            return Long.MIN_VALUE;
        }
        long start = breaker.start();
        try {
            long mark = tags.mark();
            breaker.answered(start);
            return mark;
        } catch (JedisAccessControlException e) {
            unreachable(start, e);
            return Long.MIN_VALUE;
        } catch (JedisDataException e) {
            breaker.answered(start);
            errorReply(e);
            readErrors.failed(e);
            return Long.MIN_VALUE;
        } catch (NumberFormatException e) {
            breaker.answered(start);
            faults.errorReply();
            readErrors.failed(e);
            return Long.MIN_VALUE;
        } catch (JedisException e) {
            unreachable(start, e);
            return Long.MIN_VALUE;
        }
    }

    @Override
    public boolean put(CacheEntry entry, Set<String> entryTags, long mark) {
        long now = clock.millis();
        long ttlMillis = entry.retainedMillis(now);
        if (ttlMillis <= 0) {
            // Expired already: not stored, but not refused either, and Redis could still check a waiter's mark.
            return true;
        }
        if (!breaker.allowsCall()) {
            // Redis could not refuse it for an eviction since the mark (another instance's): nobody is given it.
            return false;
        }
        Set<String> all = new HashSet<>(entryTags);
        all.add(ALL);
        byte[] value = EntryCodec.encode(entry);
        // A fault leaves unknown whether the script refused it for an eviction since the mark (a timed-out reply
        // may be a refusal): like a refusal, it is kept in no near tier and handed to nobody.
        return written(() -> tags.put(keys.of(entry.key()), value, entry, all, mark, now, ttlMillis), Boolean.FALSE);
    }

    /** Throws on any fault, for the caller to report; a failed eviction still counts towards the breaker. */
    @Override
    public long evict(Set<String> evicted) {
        if (!breaker.allowsCall()) {
            // Fail fast rather than make every unsafe request of an outage wait for a timeout.
            throw new IllegalStateException("Redis is unreachable (circuit open): nothing evicted");
        }
        long start = breaker.start();
        long removed;
        boolean told;
        try {
            removed = tags.evict(evicted);
            breaker.answered(start);
        } catch (JedisAccessControlException e) {
            unreachable(start, e);
            throw e;
        } catch (JedisDataException e) {
            breaker.answered(start);
            errorReply(e);
            throw e;
        } catch (JedisException e) {
            unreachable(start, e);
            throw e;
        } finally {
            // Even after a failure part-way, some entries may be gone: every near tier drops what it holds.
            told = feed.published();
        }
        if (!told) {
            // The other instances' near tiers still hold what Redis no longer does: not done until they are told.
            throw new IllegalStateException("Redis evicted the entries, but the other instances' near tiers could not"
                    + " be told (PUBLISH failed): the eviction is not complete");
        }
        return removed;
    }

    @Override
    public boolean evicts() {
        return true;
    }

    @Override
    public long evictAll() {
        return evict(Set.of(ALL));
    }

    /**
     * Only {@code WRONGTYPE} is known to be Redis's answer about the data (a tag key something else wrote): the same
     * eviction gets the same answer. Every other reply is retried as an outage is: a full Redis ({@code OOM}), one busy,
     * loading, a replica, a Cluster in transition, an ACL that may be fixed, a proxy's own error; a wrong guess there
     * would evict every entry of every instance for a fault that passes.
     */
    @Override
    public boolean evictionRetryable(Throwable fault) {
        if (!(fault instanceof JedisDataException reply) || fault instanceof JedisAccessControlException) {
            return true;
        }
        return !refusedForGood(reply.getMessage());
    }

    /**
     * Whether an error reply is {@code WRONGTYPE}: as the command's own reply, or wrapped by a script, which Redis
     * before 7 writes as {@code ERR Error running script (...): @user_script:1: WRONGTYPE ...} (and other errors with
     * their dash, {@code ... @user_script: 1: -READONLY ...}).
     */
    static boolean refusedForGood(String message) {
        return message != null && (message.startsWith(WRONGTYPE) || message.contains(": " + WRONGTYPE)
                || message.contains(": -" + WRONGTYPE));
    }

    @Override
    public EvictionFeed evictionFeed() {
        return feed;
    }

    /**
     * Runs {@code renew} after every call that failed to reach Redis (timeouts included): on a Cluster, a read of the
     * slot map in the background. Jedis reads it after a command's last failed attempt only, and a command whose first
     * attempt waited out the read timeout makes no second one ({@link RedisConnections#CLUSTER_ATTEMPTS}): without
     * this, a hung primary replaced by its replica would be known only at the next periodic read.
     */
    RedisStore renewsTopologyOnFaults(Runnable renew) {
        this.topologyInDoubt = renew;
        return this;
    }

    /**
     * The log of the refusals met by the topology's background questions (where the primary is, the slot map), whose
     * episodes the store that replaces this one takes over.
     */
    RedisStore refusalsLoggedBy(NodeRefusals log) {
        this.refusals = log;
        return this;
    }

    /**
     * Runs {@code inDoubt} after every {@code READONLY} reply (Sentinel: the server Jedis names as the primary is a
     * replica now, a switch it did not hear). The reply itself stays what it was: an error reply, a miss.
     */
    RedisStore asksAgainOnReadOnly(Runnable inDoubt) {
        this.primaryInDoubt = inDoubt;
        return this;
    }

    private void errorReply(JedisDataException reply) {
        faults.errorReply();
        if (isReadOnly(reply.getMessage())) {
            primaryInDoubt.run();
        }
    }

    /** {@code READONLY}, as the command's own reply or wrapped by a script ({@link #refusedForGood}). */
    static boolean isReadOnly(String message) {
        return message != null && (message.startsWith(READONLY) || message.contains(": " + READONLY)
                || message.contains(": -" + READONLY));
    }

    /** The eviction feed follows the primary {@code primary} names (Sentinel): see {@link RedisEvictionFeed#follow}. */
    RedisStore feedFollows(Supplier<?> primary) {
        feed.follow(primary);
        return this;
    }

    /**
     * Leases on keys for cluster-wide coalescing. The subscription that hears releases starts when the store is started
     * ({@link #started}, {@link #startedInPlaceOf}), or at once if it was.
     */
    @Override
    public KeyLeases keyLeases() {
        lock.lock();
        try {
            if (leases == null) {
                leases = new RedisLeases(redis, subscriptions, keyPrefix, this::written, retry, address,
                        settings.uri().user());
                // Its subscription holds a pooled connection for good: requests keep the pool size they were given.
                reserveConnection.run();
                if (startDecided) {
                    leases.listen();
                }
            }
            return leases;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a write (an entry, its index, a lease command) under the breaker: an open breaker or a fault gives
     * {@code fallback}. A refused login or command is judged like an outage; other error replies (a full Redis refuses
     * writes but answers reads) are logged as the writes' episode, so that the read log does not flap.
     */
    private <T> T written(Supplier<T> command, T fallback) {
        if (!breaker.allowsCall()) {
            return fallback;
        }
        long start = breaker.start();
        try {
            T reply = command.get();
            breaker.answered(start);
            writeErrors.succeeded();
            return reply;
        } catch (JedisAccessControlException e) {
            unreachable(start, e);
        } catch (JedisDataException e) {
            breaker.answered(start);
            errorReply(e);
            writeErrors.failed(e);
        } catch (JedisException e) {
            unreachable(start, e);
        }
        return fallback;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (leases != null) {
                leases.close();
            }
        } finally {
            lock.unlock();
        }
        feed.close();
        if (pipelined != null) {
            pipelined.close();
        }
        redis.close();
    }

    /** Reachable unless the breaker keeps requests away; never calls Redis (a probe reads it). */
    @Override
    public StoreStatus status() {
        Throwable fault = latestFault;
        boolean open = breaker.isOpen();
        return new StoreStatus(!open, open ? "open" : "closed", fault == null ? null : fault.toString());
    }

    /** Timeouts, connection faults, error replies and unusable values this store served as misses, and busy pools. */
    @Override
    public Map<String, Long> faultCounts() {
        return faults.counts();
    }

    /** Whether the breaker currently keeps requests away from Redis. */
    boolean judgedUnhealthy() {
        return breaker.isOpen();
    }

    private void unreachable(long start, JedisException fault) {
        if (isPoolExhausted(fault)) {
            // Every connection is busy: this request goes uncached now rather than queue. Redis itself is fine.
            faults.poolBusy();
            LOG.debug("no free Redis connection to {}; served uncached", address);
            return;
        }
        latestFault = fault;
        LOG.debug("Redis call to {} failed: {}", address, fault);
        breaker.failed(start);
        topologyInDoubt.run();
        boolean timedOut = timedOut(fault);
        if (timedOut) {
            faults.timeout();
        } else {
            faults.connection();
        }
        if (fault instanceof JedisConnectionException && !timedOut) {
            // A refused or reset connection (a restarted or failed-over Redis): the idle ones are almost surely
            // dead too. Drop them, or each would fail one more request and delay the recovery by a cool-down.
            dropIdleConnections.run();
        }
    }

    /** A read timeout, also as the cause of a Cluster command Jedis gave up (its deadline, its last attempt). */
    private static boolean timedOut(JedisException fault) {
        for (Throwable cause = fault.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPoolExhausted(JedisException fault) {
        for (Throwable cause = fault; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchElementException) {
                return true;
            }
        }
        return false;
    }

    private static final String WRONGTYPE = "WRONGTYPE ";
    private static final String READONLY = "READONLY ";

    private static boolean isWrongType(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE");
    }

    /** The only connection-level log lines: one when Redis is judged unhealthy, one when it is well again. */
    private final class BreakerLog implements CircuitBreaker.Listener {

        @Override
        public void opened(int calls, int bad) {
            Throwable fault = latestFault;
            String why = calls == 0 ? "it does not answer" : bad + " of " + calls + " recent calls failed or were slow";
            LOG.warn("Redis at " + address + " judged unhealthy (" + why
                    + (fault == null ? "" : "; latest failure: " + fault) + "); serving uncached until it recovers");
        }

        @Override
        public void closed(long openNanos) {
            LOG.info("Redis at " + address + " recovered after "
                    + TimeUnit.NANOSECONDS.toMillis(openNanos) + " ms; cache in use again");
        }
    }
}
