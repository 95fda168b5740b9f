package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed entity ({@code StreamingOutput}) that writes past {@code max-body-size} in small writes, as the servlet
 * filter's asynchronous servlets do ({@code servlet.AsynchronousBodyPastTheLimitWasNeitherShownNorCountedAsRefusedTest}):
 * flushing as it goes, and resumed on another thread through {@code AsyncResponse}. The writer interceptor holds the
 * body (its flushes too) until it is stored or past the limit, whichever thread writes, so the header lines say
 * {@code detail=too-large} and the response is counted once as refused. Real Jersey on Jetty.
 */
class StreamedEntityPastTheLimitSaysTooLargeTest {

    /** Past the 1 KB limit, within Jersey's 8 KiB buffer and Jetty's. */
    private static final int BODY = 2000;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void streamedEntityPastTheLimitSaysTooLargeAndIsCountedOnce() {
        server = TestServer.jersey(new ResourceConfig().register(new Streams()).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.MAX_BODY_SIZE, "1KB")).start();
        double refused = 0;
        for (String path : new String[] {"/api/streams/written", "/api/streams/flushed", "/api/streams/resumed"}) {
            for (int request = 1; request <= 2; request++) {
                HttpResponse<String> response = server.getText(path);
                refused++;
                assertEquals(BODY, response.body().length(), path + ": the whole body");
                assertEquals("MISS", response.headers().firstValue("X-Cache").orElse("none"), path + ": not stored");
                assertEquals("ResponseCache; fwd=uri-miss; detail=too-large",
                        response.headers().firstValue("Cache-Status").orElse("none"), path);
                assertEquals(Map.of("too-large", refused), refusals(), path + ": counted once");
            }
        }
    }

    private Map<String, Double> refusals() {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : registry.find("responsecache.refusals").counters()) {
            counts.merge(counter.getId().getTag("reason"), counter.count(), Double::sum);
        }
        return counts;
    }

    @Path("streams")
    public static final class Streams {
        @GET
        @Path("{how:written|flushed}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public StreamingOutput streamed(@PathParam("how") String how) {
            return body("flushed".equals(how));
        }

        @GET
        @Path("resumed")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public void resumed(@Suspended AsyncResponse response) {
            CompletableFuture.runAsync(() -> response.resume(body(true)));
        }

        /** {@value #BODY} bytes in writes of 100, flushed after each when {@code flushed}. */
        private static StreamingOutput body(boolean flushed) {
            return out -> {
                byte[] chunk = new byte[100];
                Arrays.fill(chunk, (byte) 'x');
                for (int written = 0; written < BODY; written += chunk.length) {
                    out.write(chunk);
                    if (flushed) {
                        out.flush();
                    }
                }
            };
        }
    }
}
