package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisProcess;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The eviction feed's subscription whose connection Redis dropped still counted as subscribed: closing the store while
 * it waited to subscribe again sent its {@code UNSUBSCRIBE} on the discarded connection, which Jedis reopened for it
 * without logging it in ({@code AUTH}, {@code SELECT}) and nobody closed: a connection left open as the default user.
 */
class LostEvictionFeedSubscriptionClosedLaterOpenedAConnectionNotLoggedInTest {

    @TempDir
    Path dir;

    @Test
    void storeClosedAfterItsFeedsSubscriptionWasDroppedLeavesNoConnection() {
        try (RedisProcess server = RedisProcess.plain(dir, "--requirepass", "secret");
             Jedis admin = server.client()) {
            admin.auth("secret");
            RedisStore store = store("redis://:secret@127.0.0.1:" + server.port() + "/0");
            RedisEvictionFeed feed = (RedisEvictionFeed) store.evictionFeed();
            store.started();
            feed.listen(() -> { });
            Eventually.until(feed::live, Duration.ofSeconds(10), () -> "the feed never subscribed");
            admin.clientKill(new ClientKillParams().type(ClientType.PUBSUB));
            Eventually.until(() -> !feed.live(), Duration.ofSeconds(10), () -> "the dropped subscription stayed live");
            store.close();
            assertEquals(List.of(), others(admin), "connections left after the store closed");
        }
    }

    /** Every client but {@code admin}'s own. */
    private static List<String> others(Jedis admin) {
        long self = admin.clientId();
        return Arrays.stream(admin.clientList().split("\n")).filter(line -> !line.isBlank())
                .filter(line -> !line.startsWith("id=" + self + " ")).toList();
    }

    private static RedisStore store(String uri) {
        // A cool-down far past the test: the subscription is not made again before the store closes.
        Map<String, Object> given = Map.of(ResponseCacheProperties.REDIS_URI, uri,
                ResponseCacheProperties.REDIS_COOL_DOWN, "600s");
        return (RedisStore) new RedisStoreProvider().create(new StoreContext(new PropertyValues(given::get),
                Clock.systemUTC()));
    }
}
