package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stale-while-revalidate on Jersey in Jetty, with the library's initializer run as a scanning container runs it, on
 * Ehcache and on a real Redis: the stale answer arrives in full while the one refresh is held in the method, and the
 * refreshed entry replaces it; a failing refresh keeps it.
 */
class JaxrsStaleWhileRevalidateIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final MutableClock clock = new MutableClock();
    private final GatedResource resource = new GatedResource();
    private TestServer server;

    private void start(String store) {
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock)
                .property(ResponseCacheProperties.COALESCE_WAIT, "300s");
        if (store.equals("redis")) {
            app.property(ResponseCacheProperties.STORE, "redis")
                    .property(ResponseCacheProperties.REDIS_URI, redis.uri())
                    .property(ResponseCacheProperties.REDIS_KEY_PREFIX, "rc-swr-" + UUID.randomUUID() + ":")
                    .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        }
        server = TestServer.jersey(app);
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
    }

    @AfterEach
    void stop() {
        resource.gate.countDown();
        if (server != null) {
            server.close();
        }
    }

    private String xCache(String path) {
        return server.getText(path).headers().firstValue("X-Cache").orElse("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ehcache", "redis"})
    void staleAnswerArrivesInFullWhileTheOneRefreshIsHeldAndTheRefreshReplacesIt(String store)
            throws InterruptedException {
        start(store);
        HttpResponse<String> miss = server.getText("/api/swr/1");
        assertEquals("swr 1 call 1", miss.body());
        clock.advance(Duration.ofSeconds(70));
        resource.blocking.set(true);
        HttpResponse<String> stale = server.getText("/api/swr/1");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; ttl=-10; detail=revalidating",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertTrue(resource.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the refresh runs");
        assertEquals("STALE", xCache("/api/swr/1"));
        assertEquals(2, resource.calls.get(), "one refresh, not one per stale answer");
        resource.gate.countDown();
        Eventually.until(() -> "HIT".equals(xCache("/api/swr/1")), WAIT, () -> "the refresh was never stored");
        assertEquals("swr 1 call 2", server.getText("/api/swr/1").body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ehcache", "redis"})
    void failingRefreshKeepsTheStaleEntry(String store) {
        start(store);
        HttpResponse<String> miss = server.getText("/api/swr/2");
        clock.advance(Duration.ofSeconds(70));
        resource.answers503.set(true);
        assertEquals(miss.body(), server.getText("/api/swr/2").body());
        Eventually.until(() -> resource.calls.get() >= 2, WAIT, () -> "the refresh never ran");
        HttpResponse<String> stillStale = server.getText("/api/swr/2");
        assertEquals("STALE", stillStale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(miss.body(), stillStale.body());
        resource.answers503.set(false);
        Eventually.until(() -> "HIT".equals(xCache("/api/swr/2")), WAIT, () -> "a good refresh was never stored");
    }

    /** Counts its calls; told to, holds every call on a gate, or answers 503. */
    @Path("swr")
    public static final class GatedResource {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean blocking = new AtomicBoolean();
        final AtomicBoolean answers503 = new AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @GET
        @Path("{id}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public Response item(@PathParam("id") String id) throws InterruptedException {
            int call = calls.incrementAndGet();
            if (blocking.get()) {
                entered.countDown();
                if (!gate.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
            return answers503.get() ? Response.status(503).entity("down").build()
                    : Response.ok("swr " + id + " call " + call).build();
        }
    }
}
