package dev.responsecache.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import redis.embedded.RedisServer;

/** The README's two sample instances on one Redis: what one stores, the other serves. */
class SampleOnRedisIT {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void secondInstanceServesWhatTheFirstStored() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        RedisServer redis = RedisServer.newRedisServer().port(port).setting("save \"\"").setting("appendonly no")
                .soutListener(line -> { }).serrListener(line -> { }).build();
        redis.start();
        SampleServer first = null;
        SampleServer second = null;
        try {
            SampleServer.useRedis("redis://127.0.0.1:" + port + "/0");
            first = new SampleServer(0).start();
            second = new SampleServer(0).start();
            HttpResponse<String> miss = get(first, "/api/products/7");
            HttpResponse<String> hit = get(second, "/api/products/7");
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
            HttpResponse<String> report = get(second, "/reports/sales");
            assertEquals("MISS", report.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("HIT", get(first, "/reports/sales").headers().firstValue("X-Cache").orElseThrow());
        } finally {
            System.clearProperty("responsecache.store");
            System.clearProperty("responsecache.redis.uri");
            if (first != null) {
                first.stop();
            }
            if (second != null) {
                second.stop();
            }
            redis.stop();
        }
    }

    private HttpResponse<String> get(SampleServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
