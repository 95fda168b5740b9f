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

/** The two sample instances on one Redis of docs/REDIS.md: what one stores, the other serves. */
class SampleOnRedisIT {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void secondInstanceServesWhatTheFirstStored() throws Exception {
        int port = 0;
        RedisServer redis = null;
        // Another process may bind the port found free before redis-server does, which then exits: started again on
        // another port.
        for (int attempt = 0; redis == null; attempt++) {
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            RedisServer server = RedisServer.newRedisServer().port(port).setting("save \"\"")
                    .setting("appendonly no").soutListener(line -> { }).serrListener(line -> { }).build();
            try {
                server.start();
                redis = server;
            } catch (IOException e) {
                if (attempt == 9 || !String.valueOf(e.getCause()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
        SampleServer first = null;
        SampleServer second = null;
        try {
            SampleServer.useRedis("redis://127.0.0.1:" + port + "/0");
            // Far beyond any normal reply (the default is 200 ms): a loaded machine's late reply is no miss.
            System.setProperty("responsecache.redis.read-timeout", "30s");
            first = new SampleServer(0).start();
            second = new SampleServer(0).start();
            HttpResponse<String> miss = get(first, "/api/products/7");
            HttpResponse<String> hit = get(second, "/api/products/7");
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
            HttpResponse<String> report = get(second, "/reports/kitchen");
            assertEquals("MISS", report.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("HIT", get(first, "/reports/kitchen").headers().firstValue("X-Cache").orElseThrow());
        } finally {
            System.clearProperty("responsecache.store");
            System.clearProperty("responsecache.redis.uri");
            System.clearProperty("responsecache.redis.read-timeout");
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
