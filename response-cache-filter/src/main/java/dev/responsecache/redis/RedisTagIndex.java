package dev.responsecache.redis;

import dev.responsecache.core.CacheEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Tags in Redis, without scanning the keyspace and with no command on more than one key (so it works on a Redis
 * Cluster too). Layout, under the store's key prefix (see docs/REDIS.md):
 * <ul>
 *   <li>{@code <prefix>t:<digest of tag>}: a sorted set of the entry keys carrying the tag, scored by each entry's
 *       expiry time on Redis's clock. Every write to it first drops the members already expired, and extends the set's own expiry to
 *       at least the new entry's, so the index neither outlives its entries nor grows with entries long gone.</li>
 *   <li>{@code <prefix>e:<digest of tag>}: the epoch of the tag's last eviction, kept {@link #EVICTION_MEMORY_MILLIS}.
 *   </li>
 *   <li>{@code <prefix>epoch}: a counter every eviction increments; a miss reads it as its mark.</li>
 * </ul>
 *
 * <p>The race between a miss that read stale data and the eviction of its tag: the evictor increments the epoch, sets
 * the tag's eviction epoch, then reads the tag's members and deletes them. The writer stores the entry, adds it to
 * the tag sets, then reads the tags' eviction epochs and deletes its own entry if one is later than its mark. Either
 * the evictor's epoch write precedes the writer's read (the writer deletes), or the writer's add precedes the
 * evictor's read of the members (the evictor deletes): commands on one connection run in order, so one of the two
 * always sees the other. A writer also checks before storing, so a miss that outlived a finished eviction stores
 * nothing; only an eviction that runs while the store is in progress can see the entry exist for the one round trip
 * between the writer's store and its delete.
 */
final class RedisTagIndex {

    /** How long an eviction is remembered: a miss that runs longer may store what an eviction during it condemned. */
    static final long EVICTION_MEMORY_MILLIS = 3_600_000;

    /**
     * Adds one member to a tag set, dropping expired members and extending the set's expiry to the entry's. Scores
     * and the trim read Redis's clock ({@code TIME}), the one that expires the entries: a writer whose own clock runs
     * ahead would otherwise drop the members of entries that are still live, which an eviction would then miss.
     * (A script may write after {@code TIME} since Redis 5, which replicates a script's effects.)
     */
    private static final String ADD = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 1""";

    /** Raises a tag's eviction epoch, never lowers it (two evictions may finish out of order). */
    private static final String RAISE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
            return 1""";

    private final UnifiedJedis redis;
    private final String prefix;

    RedisTagIndex(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    long mark() {
        String epoch = redis.get(prefix + "epoch");
        return epoch == null ? 0 : Long.parseLong(epoch);
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
            tagKeys.add(prefix + "t:" + digest);
            evictionKeys.add(prefix + "e:" + digest);
        }
        if (evictedSince(evictionKeys, mark)) {
            return false;
        }
        String member = new String(key, StandardCharsets.UTF_8);
        List<Response<?>> replies = new ArrayList<>(tagKeys.size() + 1);
        try (AbstractPipeline pipeline = redis.pipelined()) {
            replies.add(pipeline.set(key, value, SetParams.setParams().px(ttlMillis)));
            for (String tagKey : tagKeys) {
                // Scored by when the entry leaves the store (past its expiry when it may still answer stale), so an
                // eviction finds it as long as it can be served.
                replies.add(pipeline.eval(ADD, List.of(tagKey), List.of(member, Long.toString(ttlMillis))));
            }
            pipeline.sync();
        }
        // A pipeline reports an error reply (a full Redis refusing writes) only when its response is read.
        replies.forEach(Response::get);
        if (evictedSince(evictionKeys, mark)) {
            redis.del(key);
            return false;
        }
        return true;
    }

    private boolean evictedSince(List<String> evictionKeys, long mark) {
        List<Response<String>> epochs = new ArrayList<>(evictionKeys.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String evictionKey : evictionKeys) {
                epochs.add(pipeline.get(evictionKey));
            }
            pipeline.sync();
        }
        for (Response<String> epoch : epochs) {
            String value = epoch.get();
            if (value != null && Long.parseLong(value) > mark) {
                return true;
            }
        }
        return false;
    }

    /** Evicts every entry tagged with one of {@code tags}; returns how many were removed. */
    long evict(Set<String> tags) {
        long epoch = redis.incr(prefix + "epoch");
        List<Response<List<String>>> members = new ArrayList<>(tags.size());
        List<Response<Object>> raised = new ArrayList<>(tags.size());
        List<String> tagKeys = new ArrayList<>(tags.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String tag : tags) {
                String digest = RedisKeys.digest(tag);
                raised.add(pipeline.eval(RAISE, List.of(prefix + "e:" + digest),
                        List.of(Long.toString(epoch), Long.toString(EVICTION_MEMORY_MILLIS))));
                tagKeys.add(prefix + "t:" + digest);
                members.add(pipeline.zrange(prefix + "t:" + digest, 0, -1));
            }
            pipeline.sync();
        }
        // Without its eviction epoch a concurrent store could go unnoticed: a refused one fails the eviction.
        raised.forEach(Response::get);
        List<Response<Long>> deleted = new ArrayList<>();
        List<Response<Long>> unindexed = new ArrayList<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (int i = 0; i < tagKeys.size(); i++) {
                List<String> tagged = members.get(i).get();
                for (String member : tagged) {
                    deleted.add(pipeline.del(member));
                }
                // Only the members read: a store whose mark follows this eviction may have joined the set since,
                // and its entry must stay findable by the next eviction.
                if (!tagged.isEmpty()) {
                    unindexed.add(pipeline.zrem(tagKeys.get(i), tagged.toArray(new String[0])));
                }
            }
            pipeline.sync();
        }
        unindexed.forEach(Response::get);
        long removed = 0;
        for (Response<Long> count : deleted) {
            removed += count.get();
        }
        return removed;
    }
}
