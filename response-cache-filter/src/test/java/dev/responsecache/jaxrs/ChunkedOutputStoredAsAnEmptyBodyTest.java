package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ChunkedOutput;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A cached Jersey method returning a {@link ChunkedOutput} (the streaming type Jersey's SSE {@code EventOutput}
 * extends): Jersey writes the {@code ChunkedOutput} entity itself (no bytes), then each chunk through the writers
 * one by one. The cache stores the response when the entity's write ends, so the entry is a 200 with an empty body.
 *
 * <p>What the client gets: the miss is {@code first 1;second 1;}, every hit a {@code 200} with
 * {@code Content-Length: 0}, no body at all, and an ETag of the empty body. What it should get: the chunks the method
 * writes (a streamed response is either stored whole or not at all).
 */
class ChunkedOutputStoredAsAnEmptyBodyTest {

    @Path("/")
    public static class Chunks {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Path("chunks")
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public ChunkedOutput<String> chunks() throws IOException {
            int call = calls.incrementAndGet();
            ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
            // Queued until Jersey has written the response, then sent in order.
            output.write("first " + call + ";");
            output.write("second " + call + ";");
            output.close();
            return output;
        }
    }

    @Test
    void chunkedOutputHitIsNotAnEmptyBody() {
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(new Chunks())
                .register(ResponseCacheFeature.class)).start()) {
            HttpResponse<String> miss = server.getText("/api/chunks");
            assertEquals("first 1;second 1;", miss.body());

            HttpResponse<String> second = server.getText("/api/chunks");
            String cache = "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none");
            assertEquals(200, second.statusCode(), cache);
            // A hit must replay the chunks; a miss runs the method again.
            assertEquals(second.headers().firstValue("X-Cache").orElse("none").equals("HIT")
                    ? "first 1;second 1;" : "first 2;second 2;", second.body(), cache);
        }
    }
}
