package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.glassfish.jersey.message.GZipEncoder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.EncodingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code responsecache.compress=gzip} and Jersey's own {@code EncodingFilter} and {@code GZipEncoder}, the
 * application keeps encoding: a hit runs its encoder again over the stored identity body, so the cache must neither
 * store the entry compressed nor send its own gzip bytes into the encoder.
 */
class CompressionWithApplicationEncoderTest {

    private final FiltersAndEncodingReplayTest.FilteredResource resource =
            new FiltersAndEncodingReplayTest.FilteredResource();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COMPRESS, "gzip");
        EncodingFilter.enableFor(app, GZipEncoder.class);
        server = TestServer.jersey(app).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void gzipHitOfAnApplicationThatEncodesIsEncodedOnce() {
        for (String first : List.of("gzip", "identity")) {
            server.close();
            start();
            server.get("/api/filtered/text", "Accept-Encoding", first);
            HttpResponse<byte[]> zipped = server.get("/api/filtered/text", "Accept-Encoding", "gzip");
            assertEquals("HIT", zipped.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"), "after a " + first + " miss");
            assertEquals(FiltersAndEncodingReplayTest.BODY, FiltersAndEncodingReplayTest.gunzip(zipped.body()));
            HttpResponse<byte[]> identity = server.get("/api/filtered/text");
            assertEquals(List.of(), identity.headers().allValues("Content-Encoding"));
            assertEquals(FiltersAndEncodingReplayTest.BODY, new String(identity.body(), StandardCharsets.UTF_8));
        }
    }
}
