package dev.responsecache.redis;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import redis.clients.jedis.Protocol;

/** What a test's requests made a real Redis server do, read from its {@code INFO commandstats}. */
final class RedisCommandStats {

    /** Connection, admin and test-side commands: not what the cache does for a request. */
    private static final Set<String> NOT_DATA = Set.of("info", "config", "ping", "hello", "auth", "select", "client",
            "subscribe", "pubsub", "exists", "keys");
    private static final Pattern CALLS = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)");

    private RedisCommandStats() {
    }

    static void reset(RedisTestServer redis) {
        redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
    }

    /** Calls of every data command since the last {@link #reset}. */
    static Map<String, Long> readsAndWrites(RedisTestServer redis) {
        Map<String, Long> calls = new TreeMap<>();
        Matcher line = CALLS.matcher(redis.client().info("commandstats"));
        while (line.find()) {
            if (!NOT_DATA.contains(line.group(1))) {
                calls.put(line.group(1), Long.parseLong(line.group(2)));
            }
        }
        return calls;
    }

    /** Calls of {@code command} since the last {@link #reset}, including those made from scripts. */
    static long calls(RedisTestServer redis, String command) {
        return readsAndWrites(redis).getOrDefault(command, 0L);
    }

    /** Waits, with a far deadline, until Redis counts {@code subscribers} subscriptions to {@code channel}. */
    static void untilSubscribed(RedisTestServer redis, String channel, long subscribers) {
        Eventually.until(() -> redis.client().sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel)
                        instanceof List<?> counts && counts.size() == 2
                        && Long.valueOf(subscribers).equals(counts.get(1)),
                Duration.ofSeconds(60), () -> "never " + subscribers + " subscribers on " + channel);
    }

    /**
     * Waits, with a far deadline, until an instance's near tier keeps and answers copies: its eviction feed marks
     * itself live on its subscriber's thread after Redis counted the subscription, so a store made between the two
     * keeps no copy. {@code warmUp} requests a key of the instance's own, used for nothing else; this returns once a
     * hit on it called Redis not at all. Resets the statistics.
     */
    static void untilNearCopiesAnswer(RedisTestServer redis, Supplier<HttpResponse<String>> warmUp) {
        Eventually.until(() -> {
            warmUp.get();
            reset(redis);
            warmUp.get();
            return readsAndWrites(redis).isEmpty();
        }, Duration.ofSeconds(30), () -> "the near tier never answered a hit by itself");
        reset(redis);
    }
}
