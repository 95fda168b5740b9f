package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.glassfish.jersey.message.GZipEncoder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.EncodingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code ResponseCacheFilter} mapped over the whole application (pages and the Jersey servlet alike) in front of a
 * cached JAX-RS method, on one store. The filter would store the response as the client got it (gzip bytes and
 * {@code Content-Encoding: gzip} after Jersey's encoder), and the JAX-RS adapter replays an entry through the encoders
 * again: a JAX-RS hit on such an entry was encoded twice. The filter's entries are keyed apart, and it stores no copy
 * of what a cached method answers, whose own entry its tags and evictions reach.
 */
class BothAdaptersOnOneUrlTest {

    private static final String TEXT = "the same text, long enough to be worth compressing ".repeat(20);

    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger counted = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig().register(TextResource.class).register(new CountedResource(counted))
                .register(new TaggedResource(counted))
                .register(ResponseCacheFeature.class);
        EncodingFilter.enableFor(app, GZipEncoder.class);
        server = TestServer.jersey(app);
        server.context().setInitParameter(ResponseCacheProperties.COALESCE, "false");
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        server.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.filter(new Gate(), "/*").start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private static String gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void entryTheServletFilterStoredIsNotEncodedAgainByAJaxrsHit() throws Exception {
        // B looks up in the filter (a miss) and is held before Jersey; A then runs and both adapters store.
        CompletableFuture<HttpResponse<byte[]>> later = CompletableFuture.supplyAsync(() -> server.get("/api/text",
                "Accept", "text/plain", "Accept-Encoding", "gzip", "X-Gate", "hold"));
        assertTrue(held.await(60, TimeUnit.SECONDS));
        HttpResponse<byte[]> first = server.get("/api/text", "Accept", "text/plain", "Accept-Encoding", "gzip");
        assertEquals(TEXT, gunzip(first.body()));
        release.countDown();
        HttpResponse<byte[]> second = later.get(60, TimeUnit.SECONDS);
        HttpResponse<byte[]> third = server.get("/api/text", "Accept", "text/plain", "Accept-Encoding", "gzip");
        assertAll(() -> assertEquals(TEXT, gunzip(second.body()), "the held request's answer is encoded twice"),
                () -> assertEquals(TEXT, gunzip(third.body()), "the next request's answer is encoded twice, X-Cache: "
                        + third.headers().firstValue("X-Cache").orElse("none")));
    }

    @Test
    void evictingThePathOrTheRequestEvictsTheEntriesOfBothAdapters() throws Exception {
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        // The filter misses, then the method's own lookup: the method runs once and both adapters store.
        assertEquals(TEXT, gunzip(server.get("/api/counted", "Accept", "text/plain", "Accept-Encoding", "gzip")
                .body()));
        assertEquals("HIT", server.get("/api/counted", "Accept", "text/plain", "Accept-Encoding", "gzip").headers().firstValue("X-Cache")
                .orElse("none"));
        assertEquals(1, counted.get());
        invalidator.evictPath("/api/counted");
        // Had the JAX-RS entry outlived the eviction, the filter's miss would be answered from it behind.
        assertEquals(TEXT, gunzip(server.get("/api/counted", "Accept", "text/plain", "Accept-Encoding", "gzip")
                .body()));
        assertEquals(2, counted.get());
        invalidator.evictRequest(server.uri("/api/counted"));
        assertEquals(TEXT, gunzip(server.get("/api/counted", "Accept", "text/plain", "Accept-Encoding", "gzip")
                .body()));
        assertEquals(3, counted.get());
    }

    /**
     * The filter kept a copy of the method's response under its own key, tagged only with the path: evicting the
     * method's tag left that copy answering, in front of the method, until the filter's ttl.
     */
    @Test
    void evictingTheMethodsTagReachesWhatTheFilterInFrontAnswers() throws Exception {
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        assertEquals(TEXT, server.getText("/api/tagged/42", "Accept", "text/plain").body());
        assertEquals("HIT", server.getText("/api/tagged/42", "Accept", "text/plain").headers()
                .firstValue("X-Cache").orElse("none"));
        assertEquals(1, counted.get());
        invalidator.evictTags("product:42");
        HttpResponse<String> after = server.getText("/api/tagged/42", "Accept", "text/plain");
        assertEquals(2, counted.get(), "answered after the eviction, X-Cache: "
                + after.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("tagged/{id}")
    public static final class TaggedResource {
        private final AtomicInteger calls;

        TaggedResource(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, tags = "product:{id}")
        public String text() {
            calls.incrementAndGet();
            return TEXT;
        }
    }

    @Path("counted")
    public static final class CountedResource {
        private final AtomicInteger calls;

        CountedResource(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String text() {
            calls.incrementAndGet();
            return TEXT;
        }
    }

    @Path("text")
    public static final class TextResource {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String text() {
            return TEXT;
        }
    }

    /** Holds the request marked {@code X-Gate: hold} between the cache filter and Jersey until the test lets it on. */
    private final class Gate implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if ("hold".equals(((HttpServletRequest) request).getHeader("X-Gate"))) {
                held.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new ServletException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServletException(e);
                }
            }
            chain.doFilter(request, response);
        }
    }
}
