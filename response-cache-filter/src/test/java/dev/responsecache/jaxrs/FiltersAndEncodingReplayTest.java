package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import org.glassfish.jersey.message.GZipEncoder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.EncodingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hit goes through the application's response filters and encoders again: what is stored and what they add must
 * compose to what the miss sent, each applied once. Jersey's own {@code EncodingFilter} and {@code GZipEncoder}.
 */
class FiltersAndEncodingReplayTest {

    /** Larger than Jersey's 8 KiB response buffer, so the body streams through the encoder in several writes. */
    static final String BODY = "cached text ".repeat(4000);

    private final FilteredResource resource = new FilteredResource();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig().register(resource).register(AllowAnyOrigin.class)
                .register(LateCookie.class).register(LateNoStore.class).register(ResponseCacheFeature.class);
        EncodingFilter.enableFor(app, GZipEncoder.class);
        server = TestServer.jersey(app).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void gzipEncodedMissStoresTheWholeBodyAndHitIsEncodedOnce() {
        HttpResponse<byte[]> miss = server.get("/api/filtered/text", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> hit = server.get("/api/filtered/text", "Accept-Encoding", "gzip");
        assertEquals("MISS", hit(miss));
        assertEquals("HIT", hit(hit));
        for (HttpResponse<byte[]> response : List.of(miss, hit)) {
            assertEquals(200, response.statusCode());
            assertEquals(List.of("gzip"), response.headers().allValues("Content-Encoding"));
            assertEquals(BODY, gunzip(response.body()));
        }
        assertEquals(1, resource.calls.get());
    }

    @Test
    void identityClientGetsAnIdentityHitOfAnEntryAGzipClientStored() {
        server.get("/api/filtered/text", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> hit = server.get("/api/filtered/text");
        assertEquals("HIT", hit(hit));
        assertEquals(List.of(), hit.headers().allValues("Content-Encoding"));
        assertEquals(BODY, new String(hit.body(), StandardCharsets.UTF_8));
        assertEquals(1, resource.calls.get());
    }

    @Test
    void gzipClientGetsAGzipHitOfAnEntryAnIdentityClientStored() {
        HttpResponse<byte[]> miss = server.get("/api/filtered/text");
        assertEquals(BODY, new String(miss.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> hit = server.get("/api/filtered/text", "Accept-Encoding", "gzip");
        assertEquals("HIT", hit(hit));
        assertEquals(List.of("gzip"), hit.headers().allValues("Content-Encoding"));
        assertEquals(BODY, gunzip(hit.body()));
    }

    @Test
    void headerAddedByAResponseFilterAppearsOnceOnAHit() {
        HttpResponse<byte[]> miss = server.get("/api/filtered/text");
        HttpResponse<byte[]> hit = server.get("/api/filtered/text");
        assertEquals("HIT", hit(hit));
        assertEquals(List.of("*"), miss.headers().allValues("Access-Control-Allow-Origin"));
        assertEquals(List.of("*"), hit.headers().allValues("Access-Control-Allow-Origin"));
        assertEquals(miss.headers().allValues("Vary"), hit.headers().allValues("Vary"));
        assertEquals(miss.headers().allValues("Content-Type"), hit.headers().allValues("Content-Type"));
    }

    @Test
    void setCookieAddedByAResponseFilterAfterTheMethodStillPreventsStoring() {
        server.get("/api/filtered/cookie");
        HttpResponse<byte[]> second = server.get("/api/filtered/cookie");
        assertEquals("MISS", hit(second));
        assertEquals(List.of("late=1"), second.headers().allValues("Set-Cookie"));
        assertEquals(2, resource.cookieCalls.get());
    }

    @Test
    void noStoreAddedByAResponseFilterAfterTheMethodStillPreventsStoring() {
        server.get("/api/filtered/nostore");
        assertEquals("MISS", hit(server.get("/api/filtered/nostore")));
        assertEquals(2, resource.noStoreCalls.get());
    }

    @Test
    void headHitOfAnEncodedEntryHasNoBodyAndTheHeadersOfAGet() {
        server.get("/api/filtered/text", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> head = server.send(server.request("/api/filtered/text").header("Accept-Encoding", "gzip")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals("HIT", hit(head));
        assertEquals(0, head.body().length);
        assertEquals(List.of("gzip"), head.headers().allValues("Content-Encoding"));
    }

    private static String hit(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    static String gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("not a complete gzip body of " + body.length + " bytes", e);
        }
    }

    /** A CORS filter as commonly written: it adds, it does not set. */
    public static final class AllowAnyOrigin implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("Access-Control-Allow-Origin", "*");
        }
    }

    /** Adds a cookie to one path's response after the resource method returned. */
    public static final class LateCookie implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getUriInfo().getPath().endsWith("cookie")) {
                response.getHeaders().add("Set-Cookie", "late=1");
            }
        }
    }

    /** Forbids storing one path's response after the resource method returned. */
    public static final class LateNoStore implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getUriInfo().getPath().endsWith("nostore")) {
                response.getHeaders().add("Cache-Control", "no-store");
            }
        }
    }

    @Path("filtered")
    public static final class FilteredResource {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger cookieCalls = new AtomicInteger();
        final AtomicInteger noStoreCalls = new AtomicInteger();

        @GET
        @Path("text")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String text() {
            calls.incrementAndGet();
            return BODY;
        }

        @GET
        @Path("cookie")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String cookie() {
            return "cookie " + cookieCalls.incrementAndGet();
        }

        @GET
        @Path("nostore")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String noStore() {
            return "no-store " + noStoreCalls.incrementAndGet();
        }
    }
}
