package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet filter's side of a failed eviction: a PUT and a purge made while Redis is unreachable from instance A
 * (a relay the test cuts; Redis keeps its data) are remembered and replayed by A once Redis answers, though A gets no
 * request then, and instance B (which reaches Redis directly) stops serving what they condemned.
 */
class ServletEvictionReplayRedisIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TOKEN = "s3cret-0123456789abcdef";

    private final String prefix = "rc-replay-" + UUID.randomUUID() + ":";
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));
    private RedisTestServer redis;
    private TcpRelay relay;
    private TestServer instanceA;
    private TestServer instanceB;

    /** GET shows a price; PUT sets it. */
    private final class PriceServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("price " + request.getPathInfo().substring(1) + " is "
                    + prices.get(request.getPathInfo().substring(1)));
        }

        @Override
        protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
            prices.put(request.getPathInfo().substring(1),
                    new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            response.setStatus(204);
        }
    }

    private TestServer instance(String uri) {
        TestServer server = TestServer.servlets();
        server.context().setInitParameter(ResponseCacheProperties.STORE, "redis");
        server.context().setInitParameter(ResponseCacheProperties.REDIS_URI, uri);
        server.context().setInitParameter(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        server.context().setInitParameter(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms");
        // Far beyond any normal reply (the default is 200 ms): the outage here is a cut relay, refused at once.
        server.context().setInitParameter(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        FilterHolder filter = new FilterHolder(new ResponseCacheFilter());
        filter.setInitParameter("ttl", "600");
        filter.setInitParameter("tags", "prices");
        server.context().addFilter(filter, "/prices/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new PriceServlet()), "/prices/*");
        ServletHolder purge = new ServletHolder(new ResponseCachePurgeServlet());
        purge.setInitParameter("token", TOKEN);
        server.context().addServlet(purge, "/cache/purge");
        server.context().addServlet(new ServletHolder(new ResponseCacheHealthServlet()), "/health");
        return server.start();
    }

    @BeforeEach
    void start() throws Exception {
        redis = RedisTestServer.started();
        relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()));
        relay.open();
        instanceA = instance("redis://127.0.0.1:" + relay.port());
        instanceB = instance(redis.uri());
    }

    @AfterEach
    void stop() {
        instanceA.close();
        instanceB.close();
        relay.close();
        redis.close();
    }

    @Test
    void putAndPurgeThroughTheFilterDuringRedisOutageAreReplayedByAnIdleInstance() throws Exception {
        cachedOnBoth("/prices/1");
        cachedOnBoth("/prices/2");
        relay.cut();

        assertEquals(204, instanceA.send(instanceA.request("/prices/1")
                .PUT(HttpRequest.BodyPublishers.ofString("11")).build()).statusCode(),
                "the update that could not evict still succeeds");
        HttpResponse<byte[]> purge = instanceA.send(instanceA.request("/cache/purge?path=/prices/2")
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + TOKEN).build());
        String purgeBody = new String(purge.body(), StandardCharsets.UTF_8);
        assertEquals(503, purge.statusCode(), purgeBody);
        assertTrue(purgeBody.contains("remembered and replayed"), purgeBody);
        assertTrue(instanceA.getText("/health").body().contains("\"rememberedEvictions\":2"),
                instanceA.getText("/health").body());
        HttpResponse<String> uncached = instanceA.getText("/prices/1");
        assertEquals("price 1 is 11", uncached.body());
        assertTrue(uncached.headers().firstValue("Cache-Status").orElseThrow().contains("detail=evictions-pending"),
                uncached.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals("price 1 is 10", instanceB.getText("/prices/1").body(),
                "an instance that still reaches Redis serves the entry until the replay (a documented limit)");

        relay.open();
        Eventually.until(() -> "price 1 is 11".equals(instanceB.getText("/prices/1").body()), DEADLINE,
                () -> "instance B still serves the entry the PUT condemned");
        Eventually.until(() -> "MISS".equals(cacheStatus(instanceB.getText("/prices/2"))), DEADLINE,
                () -> "instance B still serves the purged entry");
        // B may see the deletes before A's replay (still publishing) empties its queue.
        Eventually.until(() -> instanceA.getText("/health").body().contains("\"rememberedEvictions\":0"), DEADLINE,
                () -> instanceA.getText("/health").body());
    }

    /** Stored through A and hit through B, so a later miss proves the eviction. */
    private void cachedOnBoth(String path) {
        instanceA.getText(path);
        assertEquals("HIT", cacheStatus(instanceB.getText(path)), path);
    }

    private static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElseThrow();
    }
}
