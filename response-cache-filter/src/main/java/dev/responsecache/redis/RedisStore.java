package dev.responsecache.redis;

import dev.responsecache.core.CacheEntry;
import dev.responsecache.core.EntryCodec;
import dev.responsecache.core.FaultLog;
import dev.responsecache.core.UnreadableEntryException;
import dev.responsecache.spi.EvictionFeed;
import dev.responsecache.spi.ResponseStore;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

import redis.clients.jedis.Connection;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

/**
 * Entries in Redis as {@link EntryCodec} bytes, each set with {@code PX} to its remaining time to live on the cache's
 * clock so that Redis drops it by itself. A hit is one {@code GET}; storing is one {@code SET}.
 *
 * <p>Nothing Redis does reaches a request as an exception. A connection failure or timeout is a miss (or a skipped
 * write) and counts towards the circuit breaker; an error reply (a full Redis refusing writes, a wrong password) is
 * a miss or a skipped write too; a value this store cannot read (corrupt, truncated, another format, another Redis
 * type) is a miss that the next store overwrites. Each kind of fault is logged once per episode, not per request.
 */
final class RedisStore implements ResponseStore {

    private static final System.Logger LOG = System.getLogger("dev.responsecache");
    /** Few enough that an outage costs only a handful of timed-out requests before calls stop. */
    static final int FAILURES_BEFORE_OPENING = 3;

    private final UnifiedJedis redis;
    private final Pool<Connection> pool;
    private final RedisKeys keys;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final FaultLog connection;
    private final FaultLog readErrors;
    private final FaultLog writeErrors;
    private final RedisTagIndex tags;
    private final RedisEvictionFeed feed;

    RedisStore(UnifiedJedis redis, Pool<Connection> pool, RedisSettings settings, Clock clock) {
        this.redis = redis;
        this.pool = pool;
        this.keys = new RedisKeys(settings.keyPrefix());
        this.clock = clock;
        this.breaker = new CircuitBreaker(FAILURES_BEFORE_OPENING, settings.coolDown().toNanos(), System::nanoTime);
        String address = settings.uri().address();
        this.connection = new FaultLog("Redis connection to " + address);
        // Separate logs for reads and writes: a full Redis refuses every write yet answers every read, and one
        // shared log would report a new fault and a recovery on every request.
        this.readErrors = new FaultLog("Redis reads from " + address);
        this.writeErrors = new FaultLog("Redis writes to " + address);
        this.tags = new RedisTagIndex(redis, settings.keyPrefix());
        this.feed = new RedisEvictionFeed(redis, settings.keyPrefix(), settings.coolDown(), address);
    }

    /** Says once at start-up whether Redis answers; an unreachable Redis is logged, not fatal. */
    void checkReachable() {
        try {
            redis.ping();
            reached();
        } catch (JedisDataException e) {
            reached();
            readErrors.failed(e);
        } catch (JedisException e) {
            unreachable(e);
        }
    }

    @Override
    public CacheEntry get(String key) {
        if (!breaker.allowsCall()) {
            return null;
        }
        byte[] value;
        try {
            value = redis.get(keys.of(key));
            reached();
            readErrors.succeeded();
        } catch (JedisDataException e) {
            reached();
            if (isWrongType(e)) {
                // Someone else's list or hash at our key: a miss, and our next SET replaces it.
                LOG.log(Level.DEBUG, "Redis value of another type at the key of " + key + "; treated as a miss");
            } else {
                readErrors.failed(e);
            }
            return null;
        } catch (JedisException e) {
            unreachable(e);
            return null;
        }
        if (value == null) {
            return null;
        }
        try {
            return EntryCodec.decode(value);
        } catch (UnreadableEntryException e) {
            // Not an outage: a miss, and the response about to be stored overwrites the value.
            LOG.log(Level.DEBUG, "unreadable Redis entry for " + key + " (" + e.getMessage() + "); treated as a miss");
            return null;
        }
    }

    @Override
    public void put(CacheEntry entry) {
        long ttlMillis = entry.remainingMillis(clock.millis());
        if (ttlMillis <= 0 || !breaker.allowsCall()) {
            return;
        }
        byte[] value = EntryCodec.encode(entry);
        try {
            redis.set(keys.of(entry.key()), value, SetParams.setParams().px(ttlMillis));
            reached();
            writeErrors.succeeded();
        } catch (JedisDataException e) {
            reached();
            writeErrors.failed(e);
        } catch (JedisException e) {
            unreachable(e);
        }
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
        try {
            long mark = tags.mark();
            reached();
            return mark;
        } catch (JedisDataException | NumberFormatException e) {
            reached();
            readErrors.failed(e);
            return Long.MIN_VALUE;
        } catch (JedisException e) {
            unreachable(e);
            return Long.MIN_VALUE;
        }
    }

    @Override
    public void put(CacheEntry entry, Set<String> entryTags, long mark) {
        long now = clock.millis();
        long ttlMillis = entry.remainingMillis(now);
        if (ttlMillis <= 0 || !breaker.allowsCall()) {
            return;
        }
        Set<String> all = new HashSet<>(entryTags);
        all.add(ALL);
        try {
            tags.put(keys.of(entry.key()), EntryCodec.encode(entry), entry, all, mark, now, ttlMillis);
            reached();
            writeErrors.succeeded();
        } catch (JedisDataException e) {
            reached();
            writeErrors.failed(e);
        } catch (JedisException e) {
            unreachable(e);
        }
    }

    /** Throws on any fault, for the caller to report; a failed eviction still counts towards the breaker. */
    @Override
    public long evict(Set<String> evicted) {
        if (!breaker.allowsCall()) {
            // Fail fast rather than make every unsafe request of an outage wait for a timeout.
            throw new IllegalStateException("Redis is unreachable (circuit open): nothing evicted");
        }
        try {
            long removed = tags.evict(evicted);
            reached();
            feed.published();
            return removed;
        } catch (JedisDataException e) {
            reached();
            throw e;
        } catch (JedisException e) {
            unreachable(e);
            throw e;
        }
    }

    @Override
    public long evictAll() {
        return evict(Set.of(ALL));
    }

    @Override
    public EvictionFeed evictionFeed() {
        return feed;
    }

    @Override
    public void close() {
        feed.close();
        redis.close();
    }

    private void reached() {
        breaker.succeeded();
        connection.succeeded();
    }

    private void unreachable(JedisException fault) {
        breaker.failed();
        connection.failed(fault);
        // When one connection turns out dead (a restarted or failed-over Redis), the idle ones are almost surely
        // dead too: drop them, or each would fail one more request and delay the recovery by a cool-down.
        pool.clear();
    }

    private static boolean isWrongType(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE");
    }
}
