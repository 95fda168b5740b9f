package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.TestServer;
import dev.responsecache.testing.Threads;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** Many clients on one key, cold and warm: every client gets a complete, correct body. */
class ConcurrentClientsTest {

    private static final int CLIENTS = 50;

    @Test
    void fiftyConcurrentClientsOnOneKeyAllGetTheCompleteBody() throws Exception {
        CountingResource resource = new CountingResource();
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try (TestServer server = TestServer.jersey(app).start()) {
            byte[] expected = null;
            for (int round = 0; round < 3; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<byte[]>>> responses = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    responses.add(pool.submit(() -> {
                        go.await();
                        return server.get("/api/binary");
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<byte[]>> future : responses) {
                    HttpResponse<byte[]> response = future.get(30, TimeUnit.SECONDS);
                    assertEquals(200, response.statusCode());
                    if (expected == null) {
                        expected = response.body();
                    }
                    assertEquals(70_000, response.body().length);
                    assertTrue(Arrays.equals(expected, response.body()), "a complete, identical body");
                }
            }
            assertEquals("HIT", server.get("/api/binary").headers().firstValue("X-Cache").orElseThrow());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentMissesOnAColdKeyRunTheMethodOnce() throws Exception {
        CountingResource resource = new CountingResource();
        // A wait no loaded machine outlasts: with the default (5 s) a waiter that gave up while the others were still
        // arriving would run the method itself, which is the coalescing wait's own behaviour, not the one tested here.
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COALESCE_WAIT, "300s");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try (TestServer server = TestServer.jersey(app).start()) {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            responses.add(pool.submit(() -> server.getText("/api/gated")));
            for (int i = 1; i < 20; i++) {
                responses.add(pool.submit(() -> server.getText("/api/gated")));
            }
            // The first request is inside the method; the other 19 wait for it instead of running it too.
            Threads.awaitWaitingIn("dev.responsecache.core.InFlight", 19);
            resource.gate.countDown();
            for (Future<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get(30, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                assertEquals("gated 1", response.body());
            }
            assertEquals(1, resource.calls.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
