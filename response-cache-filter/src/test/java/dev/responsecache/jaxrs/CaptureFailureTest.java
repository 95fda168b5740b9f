package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.HangingUpClient;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copy kept for the cache is optional: when it cannot be kept the client still gets every byte, and when the
 * client did not get every byte nothing is stored.
 */
class CaptureFailureTest {

    /** The size at which the issue saw 900 KB misses cut to 589,824 bytes once the heap was nearly full. */
    private static final int LARGE = 900 * 1024;
    private static final int CHUNK = 8 * 1024;
    /** Copies may not grow past this: as if the heap had no room left for them. */
    private static final int COPY_MEMORY = 16 * 1024;

    private final Bodies resource = new Bodies();
    private TestServer server;
    private TestServer scarce;

    @BeforeEach
    void start() {
        server = TestServer.jersey(app(byte[]::new)).start();
        scarce = TestServer.jersey(app(size -> {
            if (size > COPY_MEMORY) {
                throw new OutOfMemoryError("Java heap space (no room for a copy of " + size + " bytes)");
            }
            return new byte[size];
        })).start();
    }

    private ResourceConfig app(IntFunction<byte[]> copyMemory) {
        return new ResourceConfig()
                .register(resource)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.MAX_BODY_SIZE, "64MB")
                .property("dev.responsecache.core.copy-buffers", copyMemory);
    }

    @AfterEach
    void stop() {
        server.close();
        scarce.close();
    }

    @Test
    void copyThatRunsOutOfMemoryNeverCutsTheResponse() {
        for (String path : new String[] {"/api/bodies/array", "/api/bodies/chunks"}) {
            HttpResponse<byte[]> first = scarce.get(path);
            HttpResponse<byte[]> second = scarce.get(path);
            assertEquals(200, first.statusCode(), path);
            assertArrayEquals(Bodies.body(LARGE), first.body(), path);
            assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow(), path);
            assertArrayEquals(Bodies.body(LARGE), second.body(), path);
            assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow(), path + ": nothing was kept");
        }
        HttpResponse<byte[]> small = scarce.get("/api/bodies/small");
        assertEquals("HIT", scarce.get("/api/bodies/small").headers().firstValue("X-Cache").orElseThrow(),
                "a body whose copy fits is still stored");
        assertArrayEquals(Bodies.body(1000), small.body());
    }

    @Test
    void bodyWhoseClientHungUpIsNeverStoredEvenWhenTheApplicationSwallowsTheError() throws Exception {
        HangingUpClient.getAndHangUp(server, "/api/bodies/hang-up", CHUNK);
        resource.clientGone.countDown();
        assertTrue(resource.failedWrite.await(20, TimeUnit.SECONDS), "the write to the gone client never failed");

        // Coalesced behind the first request until it stores or gives up: it must give up and store nothing.
        HttpResponse<byte[]> second = server.get("/api/bodies/hang-up");
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(Bodies.body(4 * CHUNK), second.body());
        HttpResponse<byte[]> third = server.get("/api/bodies/hang-up");
        assertEquals("HIT", third.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(Bodies.body(4 * CHUNK), third.body());
        assertEquals(2, resource.hangUpCalls.get());
    }

    @Path("bodies")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public static final class Bodies {

        final CountDownLatch clientGone = new CountDownLatch(1);
        final CountDownLatch failedWrite = new CountDownLatch(1);
        final AtomicInteger hangUpCalls = new AtomicInteger();

        static byte[] body(int length) {
            byte[] body = new byte[length];
            for (int i = 0; i < length; i++) {
                body[i] = (byte) ('a' + i % 26);
            }
            return body;
        }

        @GET
        @Path("array")
        @CacheResponse(ttl = 60)
        public byte[] array() {
            return body(LARGE);
        }

        @GET
        @Path("chunks")
        @CacheResponse(ttl = 60)
        public StreamingOutput chunks() {
            return out -> {
                byte[] body = body(LARGE);
                for (int offset = 0; offset < body.length; offset += CHUNK) {
                    out.write(body, offset, Math.min(CHUNK, body.length - offset));
                }
            };
        }

        @GET
        @Path("small")
        @CacheResponse(ttl = 60)
        public byte[] small() {
            return body(1000);
        }

        /** The first call streams to a client that hangs up, and carries on as if nothing happened. */
        @GET
        @Path("hang-up")
        @CacheResponse(ttl = 60)
        public StreamingOutput hangUp() {
            int call = hangUpCalls.incrementAndGet();
            return out -> {
                byte[] body = body(4 * CHUNK);
                if (call > 1) {
                    out.write(body);
                    return;
                }
                try {
                    // More than Jersey buffers before it commits, so that the client gets the first bytes now.
                    out.write(body, 0, 3 * CHUNK);
                    out.flush();
                    await(clientGone);
                    writeUntilItFails(out, body);
                } catch (IOException swallowed) {
                    failedWrite.countDown();
                }
            };
        }

        private static void writeUntilItFails(OutputStream out, byte[] body) throws IOException {
            byte[] more = Arrays.copyOfRange(body, CHUNK, 2 * CHUNK);
            // Far less than the maximum body size: what stops the copy must be the failed write, not the limit.
            for (int i = 0; i < 2048; i++) {
                out.write(more);
                out.flush();
            }
            throw new AssertionError("16 MB went to a client that hung up");
        }

        private static void await(CountDownLatch latch) {
            try {
                if (!latch.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("the client never hung up");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
