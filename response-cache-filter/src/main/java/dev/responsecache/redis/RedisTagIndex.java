package dev.responsecache.redis;

import dev.responsecache.spi.CacheEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Tags in Redis, without scanning the keyspace and with no command or script on keys of more than one Redis Cluster
 * hash slot. Layout, under the store's key prefix (see docs/REDIS.md), with {@code {<digest>}} the unpadded base64url
 * SHA-256 of the tag as a hash tag, so that one tag's keys share a slot:
 * <ul>
 *   <li>{@code <prefix>k2:t:{<digest>}}: a sorted set of the entry keys carrying the tag, scored by each entry's
 *       expiry time on Redis's clock. Every write to it first drops the members already expired, and extends the set's own expiry to
 *       at least the new entry's, so the index neither outlives its entries nor grows with entries long gone.</li>
 *   <li>{@code <prefix>k2:e:{<digest>}}: the epoch of the tag's last eviction, kept {@link #EVICTION_MEMORY_MILLIS}.
 *   </li>
 *   <li>{@code <prefix>k2:p:{<digest>}:<count>}: the members an eviction (its counter value) took out of the tag's
 *       set, until their entries are deleted; {@code <prefix>k2:q:{<digest>}}: the counts of those not empty yet.
 *       Both expire with the set they came from.</li>
 *   <li>{@code <prefix>epoch}: a counter every eviction advances; a miss reads it as its mark. It never repeats a
 *       value, even when Redis loses it: see {@link #ADVANCE}.</li>
 *   <li>{@code <prefix>epoch:floor}: the lowest mark taken since the counter was last made (after Redis lost it, or
 *       first): a store marked below it, or that finds the counter gone, ran across a loss of Redis's data, which may
 *       have taken the eviction counts that would refuse it: see {@link #FLOOR}.</li>
 * </ul>
 *
 * <p>The race between a miss that read stale data and the eviction of its tag is settled per tag, by two scripts on
 * that tag's slot, which Redis runs one after the other: the evictor's raises the tag's eviction epoch and reads its
 * members in one step; the writer's adds its entry to the members and reads the eviction epoch in one step, after
 * its entry is stored. If the writer's script runs first, the evictor reads the member and deletes the entry (stored
 * before the member was added); if the evictor's runs first, the writer reads the raised epoch and deletes its own
 * entry. This holds whichever nodes the entry and the tags live on. A writer also checks before storing, so a miss
 * that outlived a finished eviction stores nothing; only an eviction that runs while the store is in progress can
 * see the entry exist, for the one round trip between the writer's script and its delete.
 *
 * <p>The evictor's script takes the members out of the tag's set as it reads them: it renames the set to the
 * eviction's pending set ({@code <prefix>k2:p:{<digest>}:<count>}) and lists that in the tag's pending list
 * ({@code <prefix>k2:q:{<digest>}}). The evictor then deletes the members, and removes them from the pending set
 * ({@code ZREM}), in pipelines of at most {@link #DELETE_CHUNK} members, each ZREM only after its member's DEL (on one
 * connection, sent after it; on a Cluster, whose pipeline sends to each node apart, once every DEL of the chunk has
 * answered). A store after the script adds its entry to a new tag set, which nothing of this eviction touches: a ZREM
 * by member on the tag's set unindexed a store of the same key made between the eviction's DEL and that ZREM, marked
 * after the eviction began, and the next eviction of the tag missed it. An eviction that fails part-way leaves its
 * pending set listed, with the members not yet removed: every later eviction of the tag (its replay first) deletes
 * them too, and only an empty pending set leaves the list.
 *
 * <p>A write whose reply timed out may still be taken by its node later (a node that hangs reads its connections'
 * bytes when it runs again, those of connections the writer closed long ago): after the writer's compensating
 * {@code DEL}, with no tag set naming the entry (on a Cluster the scripts are sent only once the write answered), so
 * that no eviction would delete it. So the entry's write is a script that stores only while its node's clock is
 * within a window read on that node in the store's first round trip: the client's read timeout, which the writer
 * waits for a reply at least. A write the node takes after the writer gave up stores nothing; one it took in time
 * ran before the writer's {@code DEL}, sent after.
 */
final class RedisTagIndex {

    /**
     * Members deleted per pipeline by an eviction: a tag of tens of thousands of entries is deleted in chunks, each
     * waited for within the read timeout, rather than in one pipeline whose replies take as long as the tag is large.
     */
    static final int DELETE_CHUNK = 1_000;

    /** How long an eviction is remembered: a miss that runs longer may store what an eviction during it condemned. */
    static final long EVICTION_MEMORY_MILLIS = 3_600_000;

    /**
     * Adds one member to a tag set (KEYS[1]), dropping expired members and extending the set's expiry to the entry's,
     * and returns the tag's eviction epoch (KEYS[2], same slot), or nil. Scores and the trim read Redis's clock
     * ({@code TIME}), the one that expires the entries: a writer whose own clock runs ahead would otherwise drop the
     * members of entries that are still live, which an eviction would then miss. (A script may write after
     * {@code TIME} since Redis 5, which replicates a script's effects.)
     */
    private static final String ADD = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return redis.call('GET', KEYS[2])""";

    /**
     * Answers the clock of the node that holds KEYS[1] (an entry), in epoch milliseconds, touching nothing: the clock
     * {@link #STORE} is checked against on that node.
     */
    private static final String NODE_CLOCK = """
            local time = redis.call('TIME')
            return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)""";

    /**
     * Stores an entry (KEYS[1], ARGV[1], ttl ARGV[2] ms) unless its node's clock has reached ARGV[3] (answers 1 or 0):
     * the writer may have given up on a reply by then, and lost its chance to index the entry or to delete it. Reached,
     * not passed: both clock readings are whole milliseconds, and a writer that sent the write within the millisecond
     * of the first reading gives up before the end of the millisecond ARGV[3] names. A write whose reply timed out
     * stays in the node's buffers (a node that hangs takes the bytes into its kernel and reads them when it runs again,
     * from a connection the writer closed long ago): a plain {@code SET} landed then, after every delete the writer
     * tried, with no tag set naming it, and the entry was served after its tags' evictions until its ttl.
     */
    private static final byte[] STORE = """
            local time = redis.call('TIME')
            if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) >= tonumber(ARGV[3]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1""".getBytes(StandardCharsets.US_ASCII);

    /**
     * Raises a tag's eviction epoch (KEYS[1]), never lowers it (two evictions may finish out of order), and moves the
     * tag's members (KEYS[2]) into this eviction's pending set (KEYS[4], named by the eviction's counter value ARGV[1]),
     * listed in the tag's pending list (KEYS[3]); all four keys share the tag's slot. Answers the pending list (this
     * eviction's set and those an eviction that failed left) and at most ARGV[3] members of this eviction's set. A
     * store after this script adds its entry to a new set, which no delete of this eviction touches: a ZREM by member
     * on the tag's set would unindex an entry stored again between the eviction's DEL and its ZREM. The move is a
     * RENAME (constant time whatever the tag's size); a pending set already there (a counter value Redis handed out
     * again after losing its data) is merged into instead.
     */
    private static final String RAISE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
            if redis.call('EXISTS', KEYS[2]) == 1 then
                local ttl = redis.call('PTTL', KEYS[2])
                if redis.call('EXISTS', KEYS[4]) == 1 then
                    redis.call('ZUNIONSTORE', KEYS[4], 2, KEYS[4], KEYS[2], 'AGGREGATE', 'MAX')
                    redis.call('DEL', KEYS[2])
                    if ttl > 0 and redis.call('PTTL', KEYS[4]) < ttl then redis.call('PEXPIRE', KEYS[4], ttl) end
                else
                    redis.call('RENAME', KEYS[2], KEYS[4])
                end
                redis.call('SADD', KEYS[3], ARGV[1])
                if ttl > 0 and redis.call('PTTL', KEYS[3]) < ttl then redis.call('PEXPIRE', KEYS[3], ttl) end
            end
            return {redis.call('SMEMBERS', KEYS[3]), redis.call('ZRANGE', KEYS[4], 0, tonumber(ARGV[3]) - 1)}""";

    /**
     * Advances the eviction counter (KEYS[1]) and returns its new value: one more than the larger of its value, Redis's
     * clock in microseconds ({@code TIME}) and ARGV[1] (the highest value the calling instance has seen). A counter
     * that only counted would restart below the marks of misses still running when Redis loses it (a restart
     * without persistence, a {@code FLUSHALL}, a failover to a replica that had not caught up), and the evictions
     * after that would be older than those marks. Taken from the clock, the first value after such a loss is above
     * every value handed out before it, as long as the clock of Redis (the new primary's, after a failover) has not
     * gone back by more than the loss took; ARGV[1] holds for the values this instance saw even then. The clock
     * stays ahead of the count while evictions come at most one per microsecond on average, more than one Redis runs.
     * The previous version's counter (which only counted) is simply below the clock. Values stay under 2^53, exact
     * as Lua numbers, until the year 2255.
     */
    private static final String ADVANCE = """
            local current = redis.call('GET', KEYS[1])
            if not current and ARGV[2] == '0' then return false end
            local time = redis.call('TIME')
            local floor = math.max(tonumber(time[1]) * 1000000 + tonumber(time[2]), tonumber(ARGV[1]))
            if tonumber(current or '0') < floor then
                redis.call('SET', KEYS[1], string.format('%.0f', floor))
            end
            return redis.call('INCR', KEYS[1])""";

    /**
     * Raises the floor (KEYS[1]) to one more than the larger of Redis's clock in microseconds and ARGV[1], never lowers
     * it, and answers it, before a missing counter is made again ({@link #ADVANCE} with ARGV[2] = 1 and the floor as
     * ARGV[1], so the first mark after it is above the floor even where the two keys' nodes' clocks differ). Evictions are forgotten with the data Redis loses (a
     * restart without persistence, a {@code FLUSHALL}): a miss that read before such an eviction and stores after the
     * loss would find no eviction count on its tags, and is refused by its mark, which is below the floor. Set before
     * the counter exists again, so that a store that finds the counter finds the floor too.
     */
    private static final String FLOOR = """
            local time = redis.call('TIME')
            local floor = math.max(tonumber(time[1]) * 1000000 + tonumber(time[2]), tonumber(ARGV[1])) + 1
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if current < floor then
                redis.call('SET', KEYS[1], string.format('%.0f', floor))
                return floor
            end
            return current""";

    private final UnifiedJedis redis;
    private final String prefix;
    /**
     * The highest counter value this instance has read or made. The counter read below it means Redis lost it (or
     * went back to an older copy): it is advanced at once, so that misses do not take a mark older than evictions
     * still remembered by the tags (on a Cluster, in other slots' nodes, which may have lost nothing).
     */
    private final AtomicLong seen = new AtomicLong();
    /**
     * A Cluster pipeline sends to each node apart, so only one connection keeps a store ahead of its index, and an
     * eviction's deletes ahead of its unindexing.
     */
    private final boolean oneConnection;

    /**
     * Run on a Cluster between an eviction chunk's DEL replies and its ZREMs: where a store of the same key may come
     * in (tests make one there).
     */
    private final Runnable beforeUnindexing;

    /**
     * How long after its node's clock was read an entry may still be stored: the client's read timeout. A writer
     * waits for the store's reply at least that long after it read the clock, so a write its node takes later is
     * one the writer has given up on, and is refused there.
     */
    private final long storeWindowMillis;

    /** Run between a store's first round trip, which read its node's clock, and its write (tests stop the node). */
    private final Runnable beforeStoring;

    RedisTagIndex(UnifiedJedis redis, String prefix) {
        this(redis, prefix, () -> { });
    }

    /** With Jedis's default read timeout, as a client made with no settings has. */
    RedisTagIndex(UnifiedJedis redis, String prefix, Runnable beforeUnindexing) {
        this(redis, prefix, Protocol.DEFAULT_TIMEOUT, beforeUnindexing, () -> { });
    }

    RedisTagIndex(UnifiedJedis redis, String prefix, long storeWindowMillis, Runnable beforeUnindexing,
                  Runnable beforeStoring) {
        this.redis = redis;
        this.prefix = prefix;
        this.oneConnection = !(redis instanceof JedisCluster);
        this.storeWindowMillis = storeWindowMillis;
        this.beforeUnindexing = beforeUnindexing;
        this.beforeStoring = beforeStoring;
    }

    /**
     * The counter's value. A counter Redis no longer has (or holds lower than this instance saw it) is advanced
     * first: a missing counter read as 0 would equal the mark of a miss that ran before it was lost, so that a
     * follower handed that miss's entry would take it across the evictions in between.
     */
    long mark() {
        // Read before the GET: a value this instance sees while the GET is out (its own eviction) is no loss.
        long seenBefore = seen.get();
        String epoch = redis.get(counter());
        if (epoch == null || Long.parseLong(epoch) < seenBefore) {
            return advance();
        }
        long mark = Long.parseLong(epoch);
        seen.accumulateAndGet(mark, Math::max);
        return mark;
    }

    private long advance() {
        String highest = Long.toString(seen.get());
        Object epoch = redis.eval(ADVANCE, List.of(counter()), List.of(highest, "0"));
        if (epoch == null) {
            // The counter is gone (Redis lost its data, or it is made for the first time): marks taken before now
            // are below the floor, so that no store of theirs counts on evictions Redis may have forgotten.
            Object floor = redis.eval(FLOOR, List.of(floor()), List.of(highest));
            epoch = redis.eval(ADVANCE, List.of(counter()), List.of(floor.toString(), "1"));
        }
        long advanced = (Long) epoch;
        seen.accumulateAndGet(advanced, Math::max);
        return advanced;
    }

    private String counter() {
        return counter(prefix);
    }

    /** The eviction counter's key under {@code prefix}. */
    static String counter(String prefix) {
        return prefix + "epoch";
    }

    /**
     * Two instances that found the counter gone may interleave: one raises the floor, the other makes the counter again
     * above its own floor, then the first fails before making the counter above the higher floor. Every later mark
     * would be below the floor, and nothing stored until the next eviction advanced the counter: the store that finds
     * it so advances it past the floor (as an eviction of no tag would), so the next miss stores again.
     */
    private void raiseCounterLeftBelowTheFloor(Response<String> counterAfter, Response<String> floorAfter) {
        String counterValue = reply(counterAfter);
        String floorValue = reply(floorAfter);
        if (counterValue != null && floorValue != null && Long.parseLong(counterValue) < Long.parseLong(floorValue)) {
            Object advanced = redis.eval(ADVANCE, List.of(counter()), List.of(floorValue, "0"));
            if (advanced instanceof Long epoch) {
                seen.accumulateAndGet(epoch, Math::max);
            }
        }
    }

    private String floor() {
        return prefix + "epoch:floor";
    }

    /**
     * Whether Redis lost its data since {@code mark} was taken, as far as a store can tell: the counter is gone, or was
     * made again above the mark. The evictions of tags since the mark may have been lost with it.
     */
    private static boolean lostSince(Response<String> counter, Response<String> floor, long mark) {
        String floorValue = reply(floor);
        return reply(counter) == null || floorValue != null && mark < Long.parseLong(floorValue);
    }

    private String tagSet(String digest) {
        return prefix + "k" + RedisKeys.LAYOUT + ":t:{" + digest + "}";
    }

    private String evictionEpoch(String digest) {
        return prefix + "k" + RedisKeys.LAYOUT + ":e:{" + digest + "}";
    }

    /**
     * Stores the entry under {@code key} with its tags, unless one of them was evicted after {@code mark}.
     *
     * @return whether the entry is stored
     */
    boolean put(byte[] key, byte[] value, CacheEntry entry, Set<String> tags, long mark, long nowMillis,
                long ttlMillis) {
        List<String> tagKeys = new ArrayList<>(tags.size());
        List<String> evictionKeys = new ArrayList<>(tags.size());
        for (String tag : tags) {
            String digest = RedisKeys.digest(tag);
            tagKeys.add(tagSet(digest));
            evictionKeys.add(evictionEpoch(digest));
        }
        String member = new String(key, StandardCharsets.UTF_8);
        long deadline = storeDeadlineUnlessEvictedSince(evictionKeys, member, mark);
        if (deadline < 0) {
            return false;
        }
        beforeStoring.run();
        List<byte[]> store = List.of(value, Long.toString(ttlMillis).getBytes(StandardCharsets.US_ASCII),
                Long.toString(deadline).getBytes(StandardCharsets.US_ASCII));
        List<Response<Object>> epochs = new ArrayList<>(tagKeys.size());
        Response<Object> storedInPipeline = null;
        Response<String> counterAfter;
        Response<String> floorAfter;
        try {
            if (!oneConnection) {
                // The entry's slot and the tags' slots may be on different nodes: store it first, and wait.
                if (!applied(redis.eval(STORE, List.of(key), store))) {
                    return false;
                }
            }
            try (AbstractPipeline pipeline = redis.pipelined()) {
                if (oneConnection) {
                    // Commands on one connection run in order: the entry is stored before any script adds it.
                    storedInPipeline = pipeline.eval(STORE, List.of(key), store);
                }
                for (int i = 0; i < tagKeys.size(); i++) {
                    // Scored by when the entry leaves the store (past its expiry when it may still answer stale),
                    // so an eviction finds it as long as it can be served.
                    epochs.add(pipeline.eval(ADD, List.of(tagKeys.get(i), evictionKeys.get(i)),
                            List.of(member, Long.toString(ttlMillis))));
                }
                // After the scripts, in this order (on one connection, the counter's floor is made before the
                // counter): a loss of Redis's data since the mark may have taken evictions of the entry's tags.
                counterAfter = pipeline.get(counter());
                floorAfter = pipeline.get(floor());
                pipeline.sync();
            }
            // A pipeline reports an error reply (a full Redis refusing writes) only when its response is read.
            if (storedInPipeline != null && !applied(reply(storedInPipeline))) {
                // Too late for its window (this thread was held up): nothing stored; the members added name nothing.
                return false;
            }
            boolean refused = lostSince(counterAfter, floorAfter, mark);
            for (Response<Object> epoch : epochs) {
                refused |= laterThan(reply(epoch), mark);
            }
            if (refused) {
                redis.del(key);
                raiseCounterLeftBelowTheFloor(counterAfter, floorAfter);
                return false;
            }
        } catch (JedisException e) {
            // The entry may be stored without every tag indexing it, where no eviction would find it: it goes too.
            // Its node stores it within the window or never, and the writer gives up only once the window is past:
            // this DEL, sent after, runs after any store of it, and none can come later.
            try {
                redis.del(key);
            } catch (JedisException alsoFailed) {
                // Nothing could be sent (no connection): an entry its node took in time, whose reply was lost, lives
                // at most its ttl unindexed (docs/REDIS.md). A DEL sent to a node that hangs runs when it runs again.
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return true;
    }

    /** Whether {@link #STORE} stored the entry (1), rather than finding its window past (0). */
    private static boolean applied(Object stored) {
        return stored instanceof Long answer && answer == 1;
    }

    private static boolean laterThan(Object epoch, long mark) {
        if (epoch == null) {
            return false;
        }
        String text = epoch instanceof byte[] bytes ? new String(bytes, StandardCharsets.US_ASCII) : epoch.toString();
        return Long.parseLong(text) > mark;
    }

    /**
     * The first round trip of a store: the tags' eviction epochs (on a Cluster, the counter and its floor too) and the
     * clock of the entry's node, in one pipeline. Answers the time until which that node may store the entry, or -1
     * when a tag was evicted after {@code mark} (or Redis lost its data since): nothing is to be stored.
     */
    private long storeDeadlineUnlessEvictedSince(List<String> evictionKeys, String member, long mark) {
        List<Response<String>> epochs = new ArrayList<>(evictionKeys.size());
        Response<String> counter = null;
        Response<String> floor = null;
        Response<Object> entryNodeClock;
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String evictionKey : evictionKeys) {
                epochs.add(pipeline.get(evictionKey));
            }
            if (!oneConnection) {
                // The counter and its floor may be on two nodes, read in parallel: the floor is made before the
                // counter, so a counter made again during this read has its floor seen by the read after the store.
                counter = pipeline.get(counter());
                floor = pipeline.get(floor());
            }
            entryNodeClock = pipeline.eval(NODE_CLOCK, List.of(member), List.of());
            pipeline.sync();
        }
        if (counter != null && lostSince(counter, floor, mark)) {
            return -1;
        }
        for (Response<String> epoch : epochs) {
            String value = reply(epoch);
            if (value != null && Long.parseLong(value) > mark) {
                return -1;
            }
        }
        // Read before the store is sent, so its window ends no later than the writer's wait for the reply.
        return (Long) reply(entryNodeClock) + storeWindowMillis;
    }

    /** Evicts every entry tagged with one of {@code tags}; returns how many were removed. */
    long evict(Set<String> tags) {
        long epoch = advance();
        String evictionName = Long.toString(epoch);
        List<Response<Object>> raised = new ArrayList<>(tags.size());
        List<String> digests = new ArrayList<>(tags.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String tag : tags) {
                String digest = RedisKeys.digest(tag);
                digests.add(digest);
                raised.add(pipeline.eval(RAISE,
                        List.of(evictionEpoch(digest), tagSet(digest), pendingList(digest),
                                pendingSet(digest, evictionName)),
                        List.of(evictionName, Long.toString(EVICTION_MEMORY_MILLIS), Integer.toString(DELETE_CHUNK))));
            }
            pipeline.sync();
        }
        // Reading each reply first: without its eviction epoch a concurrent store could go unnoticed, so a refused
        // script fails the eviction.
        List<Pending> read = new ArrayList<>();
        List<Pending> toRead = new ArrayList<>();
        for (int i = 0; i < digests.size(); i++) {
            List<?> reply = (List<?>) reply(raised.get(i));
            List<String> firstChunk = strings(reply.get(1));
            for (String listed : strings(reply.get(0))) {
                Pending pending = new Pending(pendingList(digests.get(i)), pendingSet(digests.get(i), listed), listed);
                if (listed.equals(evictionName)) {
                    pending.read(firstChunk);
                    read.add(pending);
                } else {
                    // Left by an eviction that failed part-way (or is still running): its entries are deleted too.
                    toRead.add(pending);
                }
            }
        }
        long removed = 0;
        while (!read.isEmpty() || !toRead.isEmpty()) {
            if (read.isEmpty()) {
                read = readChunks(toRead);
                toRead = new ArrayList<>();
            }
            DeleteChunk chunk = new DeleteChunk();
            for (Pending pending : read) {
                if (chunk.size + pending.members.size() > DELETE_CHUNK) {
                    removed += chunk.run();
                    chunk = new DeleteChunk();
                }
                chunk.add(pending);
                if (!pending.complete) {
                    toRead.add(pending);
                }
            }
            removed += chunk.run();
            read = new ArrayList<>();
        }
        return removed;
    }

    private String pendingList(String digest) {
        return prefix + "k" + RedisKeys.LAYOUT + ":q:{" + digest + "}";
    }

    private String pendingSet(String digest, String eviction) {
        return prefix + "k" + RedisKeys.LAYOUT + ":p:{" + digest + "}:" + eviction;
    }

    /** The next chunk of each pending set, one pipeline: at most {@link #DELETE_CHUNK} members each. */
    private List<Pending> readChunks(List<Pending> pendings) {
        List<Response<List<String>>> chunks = new ArrayList<>(pendings.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Pending pending : pendings) {
                chunks.add(pipeline.zrange(pending.set, 0, DELETE_CHUNK - 1));
            }
            pipeline.sync();
        }
        for (int i = 0; i < pendings.size(); i++) {
            pendings.get(i).read(reply(chunks.get(i)));
        }
        return pendings;
    }

    /**
     * One eviction's set of a tag's members, moved out of the tag's set by {@link #RAISE}: nothing is added to it
     * afterwards, so removing a member once its entry is deleted never unindexes a later store of the same key.
     */
    private static final class Pending {
        final String list;
        final String set;
        final String eviction;
        List<String> members = List.of();
        /** Whether the last chunk read was the rest of the set: once those members are removed, it is empty. */
        boolean complete;

        Pending(String list, String set, String eviction) {
            this.list = list;
            this.set = set;
            this.eviction = eviction;
        }

        void read(List<String> chunk) {
            members = chunk;
            complete = chunk.size() < DELETE_CHUNK;
        }
    }

    /**
     * Drops an eviction from a tag's pending list (KEYS[2]) once its pending set (KEYS[1], same slot) is empty, and only
     * then: a set still holding members (a ZREM that failed) stays listed, for the next eviction of the tag to delete.
     */
    private static final String FORGET = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return redis.call('SREM', KEYS[2], ARGV[1]) end
            return 0""";

    /**
     * Members of pending sets to delete and unindex in one pipeline: at most {@link #DELETE_CHUNK}, so that no reply
     * wait grows with a tag's size. A member's ZREM never runs before its DEL.
     */
    private final class DeleteChunk {
        private final List<Pending> pendings = new ArrayList<>();
        private int size;

        void add(Pending pending) {
            pendings.add(pending);
            size += pending.members.size();
        }

        /** Deletes and unindexes the members; returns how many entries were removed. */
        long run() {
            if (pendings.isEmpty()) {
                return 0;
            }
            List<Response<Long>> deleted = new ArrayList<>(size);
            List<Response<?>> unindexed = new ArrayList<>(pendings.size());
            if (size > 0 || oneConnection) {
                try (AbstractPipeline pipeline = redis.pipelined()) {
                    for (Pending pending : pendings) {
                        for (String member : pending.members) {
                            deleted.add(pipeline.del(member));
                        }
                    }
                    if (oneConnection) {
                        // Commands on one connection run in order: every DEL runs before the ZREMs.
                        unindex(pipeline, unindexed);
                    }
                    pipeline.sync();
                }
            }
            long removed = 0;
            for (Response<Long> count : deleted) {
                removed += reply(count);
            }
            if (!oneConnection) {
                // A Cluster pipeline sends to each node apart: a ZREM could run before its member's DEL, and a fault
                // between them would leave an entry no eviction finds. So the ZREMs wait for every DEL's reply.
                beforeUnindexing.run();
                try (AbstractPipeline pipeline = redis.pipelined()) {
                    unindex(pipeline, unindexed);
                    pipeline.sync();
                }
            }
            unindexed.forEach(RedisTagIndex::reply);
            return removed;
        }

        private void unindex(AbstractPipeline pipeline, List<Response<?>> unindexed) {
            for (Pending pending : pendings) {
                if (!pending.members.isEmpty()) {
                    unindexed.add(pipeline.zrem(pending.set, pending.members.toArray(new String[0])));
                }
                if (pending.complete) {
                    unindexed.add(pipeline.eval(FORGET, List.of(pending.set, pending.list), List.of(pending.eviction)));
                }
            }
        }
    }

    /**
     * A pipelined reply. Jedis's Cluster pipeline leaves the replies of a node whose connection failed unset (and
     * logs it): that is a connection failure, not the illegal state Jedis reports for it.
     */
    private static <T> T reply(Response<T> response) {
        try {
            return response.get();
        } catch (IllegalStateException e) {
            throw new JedisConnectionException("no reply: the connection to a node failed during a pipeline", e);
        }
    }

    private static List<String> strings(Object reply) {
        List<String> strings = new ArrayList<>();
        if (reply instanceof List<?> list) {
            for (Object item : list) {
                strings.add(item instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                        : String.valueOf(item));
            }
        }
        return strings;
    }
}
