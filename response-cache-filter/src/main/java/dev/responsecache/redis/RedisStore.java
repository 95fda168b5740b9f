package dev.responsecache.redis;

import dev.responsecache.core.CacheEntry;
import dev.responsecache.core.EntryCodec;
import dev.responsecache.core.FaultLog;
import dev.responsecache.core.UnreadableEntryException;
import dev.responsecache.spi.ResponseStore;

import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import redis.clients.jedis.Connection;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

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

    private static final System.Logger LOG = System.getLogger("dev.responsecache");
    /** The breaker's window: long enough to judge a quiet application, read as ten one-second buckets. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Fewer calls than this in the window are too few to judge by rate (consecutive failures still open it). */
    static final int MIN_CALLS = 10;

    private final UnifiedJedis redis;
    private final Pool<Connection> pool;
    private final RedisKeys keys;
    private final Clock clock;
    private final String address;
    private final CircuitBreaker breaker;
    private final FaultLog readErrors;
    private final FaultLog writeErrors;
    private final EntryFaults unusable;
    private volatile Throwable latestFault;

    RedisStore(UnifiedJedis redis, Pool<Connection> pool, RedisSettings settings, Clock clock, LongSupplier nanoTime) {
        this.redis = redis;
        this.pool = pool;
        this.keys = new RedisKeys(settings.keyPrefix());
        this.clock = clock;
        this.address = settings.uri().address();
        this.breaker = new CircuitBreaker(WINDOW.toNanos(), MIN_CALLS, settings.slowCall().toNanos(),
                settings.coolDown().toNanos(), nanoTime, new BreakerLog());
        // Separate logs for reads and writes: a full Redis refuses every write yet answers every read, and one
        // shared log would report a new fault and a recovery on every request.
        this.readErrors = new FaultLog("Redis reads from " + address, nanoTime);
        this.writeErrors = new FaultLog("Redis writes to " + address, nanoTime);
        this.unusable = new EntryFaults(address, nanoTime);
    }

    /** Says once at start-up whether Redis answers; an unreachable Redis is logged, not fatal. */
    void checkReachable() {
        try {
            redis.ping();
        } catch (JedisDataException e) {
            readErrors.failed(e);
        } catch (JedisException e) {
            latestFault = e;
            breaker.openNow();
        }
    }

    @Override
    public CacheEntry get(String key) {
        if (!breaker.allowsCall()) {
            return null;
        }
        long start = breaker.start();
        byte[] value;
        try {
            value = redis.get(keys.of(key));
            breaker.answered(start);
            readErrors.succeeded();
        } catch (JedisDataException e) {
            breaker.answered(start);
            if (isWrongType(e)) {
                // Someone else's list or hash at our key: a miss, and our next SET replaces it.
                unusable.unusable(key, "a Redis value of another type");
            } else {
                readErrors.failed(e);
            }
            return null;
        } catch (JedisException e) {
            unreachable(start, e);
            return null;
        }
        if (value == null) {
            return null;
        }
        try {
            return EntryCodec.decode(value);
        } catch (UnreadableEntryException e) {
            // Not an outage: a miss, and the response about to be stored overwrites the value.
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
        long start = breaker.start();
        try {
            redis.set(keys.of(entry.key()), value, SetParams.setParams().px(ttlMillis));
            breaker.answered(start);
            writeErrors.succeeded();
        } catch (JedisDataException e) {
            breaker.answered(start);
            writeErrors.failed(e);
        } catch (JedisException e) {
            unreachable(start, e);
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    /** Whether the breaker currently keeps requests away from Redis. */
    boolean judgedUnhealthy() {
        return breaker.isOpen();
    }

    private void unreachable(long start, JedisException fault) {
        if (isPoolExhausted(fault)) {
            // Every connection is busy: this request goes uncached now rather than queue. Redis itself is fine.
            LOG.log(Level.DEBUG, () -> "no free Redis connection to " + address + "; served uncached");
            return;
        }
        latestFault = fault;
        LOG.log(Level.DEBUG, () -> "Redis call to " + address + " failed: " + fault);
        breaker.failed(start);
        if (fault instanceof JedisConnectionException && !(fault.getCause() instanceof SocketTimeoutException)) {
            // A refused or reset connection (a restarted or failed-over Redis): the idle ones are almost surely
            // dead too. Drop them, or each would fail one more request and delay the recovery by a cool-down.
            pool.clear();
        }
    }

    private static boolean isPoolExhausted(JedisException fault) {
        for (Throwable cause = fault; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchElementException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWrongType(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE");
    }

    /** The only connection-level log lines: one when Redis is judged unhealthy, one when it is well again. */
    private final class BreakerLog implements CircuitBreaker.Listener {

        @Override
        public void opened(int calls, int bad) {
            Throwable fault = latestFault;
            String why = calls == 0 ? "it does not answer" : bad + " of " + calls + " recent calls failed or were slow";
            LOG.log(Level.WARNING, "Redis at " + address + " judged unhealthy (" + why
                    + (fault == null ? "" : "; latest failure: " + fault) + "); serving uncached until it recovers");
        }

        @Override
        public void closed(long openNanos) {
            LOG.log(Level.INFO, "Redis at " + address + " recovered after "
                    + TimeUnit.NANOSECONDS.toMillis(openNanos) + " ms; cache in use again");
        }
    }
}
