package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Protocol;

/**
 * A JAX-RS application on Redis deployed with the library's initializer (as a WAR's container runs it) has its hits
 * answered in front of Jersey, as on the embedded store: one {@code GET} per hit, none from a near copy.
 */
class ServletLevelRedisHitIT {

    private static RedisTestServer redis;

    private final String prefix = RedisApps.uniquePrefix();
    private final RedisResource resource = new RedisResource();
    private final JerseyRequests jersey = new JerseyRequests();
    private TestServer server;

    @BeforeAll
    static void startRedis() {
        redis = RedisTestServer.started();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(ResourceConfig app) {
        server = TestServer.jersey(app.register(jersey));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
    }

    @Test
    void hitAnsweredInFrontOfJerseyIsOneRedisGet() {
        start(RedisApps.app(resource, redis.uri(), prefix));
        HttpResponse<String> miss = server.getText("/api/items/1");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> hit = server.getText("/api/items/1");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
        }
        assertEquals(1, jersey.requests.get(), "only the miss entered Jersey");
        assertEquals(Map.of("get", 5L), readsAndWrites(), "one round trip per hit, nothing else");
        assertEquals(1, resource.calls.get());
    }

    @Test
    void hitAnsweredInFrontOfJerseyFromTheNearTierCallsRedisNotAtAll() {
        start(RedisApps.app(resource, redis.uri(), prefix)
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100"));
        // The near tier keeps copies only once its eviction feed listens.
        Eventually.until(() -> redis.client().sendCommand(Protocol.Command.PUBSUB, "NUMSUB", prefix + "evictions")
                        instanceof List<?> counts && counts.size() == 2 && Long.valueOf(1).equals(counts.get(1)),
                Duration.ofSeconds(10), () -> "the eviction feed never subscribed");
        HttpResponse<String> miss = server.getText("/api/items/2");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> hit = server.getText("/api/items/2");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
        }
        assertEquals(1, jersey.requests.get(), "only the miss entered Jersey");
        assertEquals(Map.of(), readsAndWrites(), "the stored entry's near copy answers every hit");
    }

    /** Calls of every data command since the last RESETSTAT (connection and admin commands left out). */
    private static Map<String, Long> readsAndWrites() {
        Map<String, Long> calls = new TreeMap<>();
        Matcher line = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)").matcher(redis.client().info("commandstats"));
        while (line.find()) {
            if (!Set.of("info", "config", "ping", "hello", "auth", "select", "client", "subscribe", "pubsub")
                    .contains(line.group(1))) {
                calls.put(line.group(1), Long.parseLong(line.group(2)));
            }
        }
        return calls;
    }

    /** Counts the requests that entered Jersey. */
    public static final class JerseyRequests implements ApplicationEventListener {
        final AtomicInteger requests = new AtomicInteger();

        @Override
        public void onEvent(ApplicationEvent event) {
            // only requests matter
        }

        @Override
        public RequestEventListener onRequest(RequestEvent start) {
            requests.incrementAndGet();
            return null;
        }
    }
}
