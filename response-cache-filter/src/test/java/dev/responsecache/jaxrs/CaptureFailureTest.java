package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.function.IntFunction;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copy kept for the cache is optional: when it cannot be kept the client still gets every byte. Hang-ups,
 * stalled clients and streamed bodies, the same on both adapters, are tested in the contract suite.
 */
class CaptureFailureTest {

    /** The size at which the issue saw 900 KB misses cut to 589,824 bytes once the heap was nearly full. */
    private static final int LARGE = 900 * 1024;
    /** Copies may not grow past this: as if the heap had no room left for them. */
    private static final int COPY_MEMORY = 16 * 1024;

    private final Bodies resource = new Bodies();
    private TestServer scarce;

    @BeforeEach
    void start() {
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
        scarce.close();
    }

    /** The same for a streamed body, on both adapters, is in the contract suite ({@code ParityContract}). */
    @Test
    void copyOfAByteArrayEntityThatRunsOutOfMemoryNeverCutsTheResponse() {
        HttpResponse<byte[]> first = scarce.get("/api/bodies/array");
        HttpResponse<byte[]> second = scarce.get("/api/bodies/array");
        assertEquals(200, first.statusCode());
        assertArrayEquals(Bodies.body(LARGE), first.body());
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(Bodies.body(LARGE), second.body());
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow(), "nothing was kept");
        HttpResponse<byte[]> small = scarce.get("/api/bodies/small");
        assertEquals("HIT", scarce.get("/api/bodies/small").headers().firstValue("X-Cache").orElseThrow(),
                "a body whose copy fits is still stored");
        assertArrayEquals(Bodies.body(1000), small.body());
    }

    @Path("bodies")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public static final class Bodies {

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
        @Path("small")
        @CacheResponse(ttl = 60)
        public byte[] small() {
            return body(1000);
        }
    }
}
