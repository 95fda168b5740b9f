package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.ServletApp;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;


import redis.clients.jedis.resps.Tuple;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 304 keeps the entry's tags, over a real Redis server. Redis keeps an index member until the expiry it was added
 * with, so evicting the old tags still works until the old entry's retention ends (real time, which no test here
 * waits for); what proves the fix there is the index itself: after the revalidation, every tag set of the entry
 * (its path and URL, and the tags the response gave itself) holds it until the new, longer retention the 304 gave.
 */
class ServletRevalidationTagsRedisIT extends RevalidationTagsContract {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();
    private final String prefix = "rc-retag-" + UUID.randomUUID() + ":";

    @Override
    ServletApp withStore(ServletApp app) {
        return app.contextParam(ResponseCacheProperties.STORE, "redis")
                .contextParam(ResponseCacheProperties.REDIS_URI, redis.uri())
                .contextParam(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .contextParam(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
    }

    @Override
    void afterRevalidation(String path) {
        List<Double> scores = new ArrayList<>();
        Set<String> tagSets = redis.keys(prefix);
        tagSets.removeIf(key -> !key.contains(":t:{"));
        for (String tagSet : tagSets) {
            for (Tuple member : redis.client().zrangeWithScores(tagSet, 0, -1)) {
                scores.add(member.getScore());
            }
        }
        // Path, URL, the tag header's and the attribute's tag (and the filter's own): one member each, one entry.
        assertTrue(scores.size() >= 4, "tag set members " + scores);
        double newest = scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        // The first store kept the entry 3,660 s, the revalidated one 4,200 s: a member left from the first store
        // would be 540 s behind; members of one put are a few milliseconds apart.
        for (double score : scores) {
            assertTrue(newest - score < 60_000, "every tag of the entry follows its new retention: " + scores);
        }
    }
}
