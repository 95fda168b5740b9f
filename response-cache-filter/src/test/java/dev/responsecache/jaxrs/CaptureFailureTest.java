package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.net.Socket;
import java.net.http.HttpResponse;
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
    private static final int HANG_UP_BODY = 8 << 20;

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

    /**
     * The body is stored before it is delivered, so a client that hangs up mid-body (whether or not the application
     * would swallow the error) can never leave a truncated entry: the next visitor gets the whole body.
     */
    @Test
    void clientThatHangsUpMidBodyNeverLeavesATruncatedEntry() {
        HangingUpClient.getAndHangUp(server, "/api/bodies/hang-up", CHUNK);

        // The first request stored its entry before it sent a byte, so this is a hit, and a whole one.
        HttpResponse<byte[]> second = server.get("/api/bodies/hang-up");
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(Bodies.body(HANG_UP_BODY), second.body());
        assertEquals(1, resource.hangUpCalls.get());
    }

    /**
     * The first request for a cold key whose client reads nothing: its response is stored before it is sent, so a
     * request coalesced behind it is answered from the entry instead of waiting for a transfer that never ends.
     */
    @Test
    void clientThatDoesNotReadHoldsUpNoRequestWaitingForItsResponse() throws Exception {
        Socket stalled = HangingUpClient.getWithoutReading(server, "/api/bodies/stall");
        try {
            HangingUpClient.await(() -> resource.stallCalls.get() == 1, "the first request ran the method");
            HttpResponse<byte[]> second = server.get("/api/bodies/stall");
            assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
            assertArrayEquals(Bodies.body(HANG_UP_BODY), second.body());
            assertEquals(1, resource.stallCalls.get());
        } finally {
            stalled.close();
        }
    }

    @Path("bodies")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public static final class Bodies {

        final AtomicInteger hangUpCalls = new AtomicInteger();
        final AtomicInteger stallCalls = new AtomicInteger();

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

        @GET
        @Path("stall")
        @CacheResponse(ttl = 60)
        public byte[] stall() {
            stallCalls.incrementAndGet();
            return body(HANG_UP_BODY);
        }

        /** Streams a body larger than any socket buffer, swallowing a failed write as careless code does. */
        @GET
        @Path("hang-up")
        @CacheResponse(ttl = 60)
        public StreamingOutput hangUp() {
            hangUpCalls.incrementAndGet();
            return out -> {
                byte[] body = body(HANG_UP_BODY);
                try {
                    for (int offset = 0; offset < body.length; offset += CHUNK) {
                        out.write(body, offset, CHUNK);
                        out.flush();
                    }
                } catch (IOException swallowed) {
                    // Carries on as if the client had got everything.
                }
            };
        }
    }
}
