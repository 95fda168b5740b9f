package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * The Redis breaker as an operator sees it in metrics: closed and reachable while Redis answers, open and unreachable
 * while it is stopped, closed again once it is back.
 */
class RedisMetricsIT {

    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(15);

    @Test
    void breakerGaugeOpensWhileRedisIsStoppedAndClosesOnceItIsBack() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (RedisTestServer redis = RedisTestServer.started();
             TestServer app = TestServer.jersey(RedisApps.app(new RedisResource(), redis.uri(),
                     RedisApps.uniquePrefix()).property(ResponseCacheProperties.METER_REGISTRY, registry)).start()) {
            app.getText("/api/items/1");
            assertEquals(0, gauge(registry, "responsecache.store.breaker.open"));
            assertEquals(1, gauge(registry, "responsecache.store.reachable"));

            redis.stop();
            for (int i = 0; i < 20; i++) {
                assertEquals(200, app.getText("/api/items/1").statusCode());
            }
            assertEquals(1, gauge(registry, "responsecache.store.breaker.open"));
            assertEquals(0, gauge(registry, "responsecache.store.reachable"));

            redis.start();
            Eventually.until(() -> "HIT".equals(app.getText("/api/items/1").headers().firstValue("X-Cache").orElse("")),
                    RECOVERY_DEADLINE, () -> "no hit within " + RECOVERY_DEADLINE + " after Redis came back");
            assertEquals(0, gauge(registry, "responsecache.store.breaker.open"));
        }
    }

    @Test
    void requestsWhileRedisIsStoppedCountConnectionOrTimeoutFaults() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (RedisTestServer redis = RedisTestServer.started();
             TestServer app = TestServer.jersey(RedisApps.app(new RedisResource(), redis.uri(),
                     RedisApps.uniquePrefix()).property(ResponseCacheProperties.METER_REGISTRY, registry)).start()) {
            app.getText("/api/items/1");
            assertEquals(0, faults(registry, "connection") + faults(registry, "timeout"));

            redis.stop();
            assertEquals(200, app.getText("/api/items/2").statusCode());
            assertTrue(faults(registry, "connection") + faults(registry, "timeout") >= 1,
                    "a request while Redis is stopped counts a connection or timeout fault");
            assertEquals(0, faults(registry, "error-reply"));
        }
    }

    private static double faults(MeterRegistry registry, String kind) {
        return registry.get("responsecache.store.faults").tag("kind", kind).functionCounter().count();
    }

    private static double gauge(MeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
