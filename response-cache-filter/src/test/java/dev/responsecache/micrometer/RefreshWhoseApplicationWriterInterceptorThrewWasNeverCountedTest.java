package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.HangingUpClient;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.Filter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import org.glassfish.jersey.message.GZipEncoder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.EncodingFilter;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JAX-RS refresh whose application writer interceptor throws once the body was written through it (a digest or
 * an encoder finishing the body). The cache's outermost interceptor, there whenever the application has interceptors,
 * stores only after them, so the refresh stored nothing and ended its claim, but nobody counted it: the cache's
 * innermost interceptor, which counts a writer that throws, had returned; past {@code max-body-size} Jersey had
 * committed the response and only logged the exception, and within it Jersey answered a 500, which the runner in
 * front does not count. Now the outermost interceptor counts it as the innermost does, once with whatever else reports
 * the same refresh, and not when a write to the client failed. Real Jetty, real Jersey, the clock injected.
 */
class RefreshWhoseApplicationWriterInterceptorThrewWasNeverCountedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** How the refresh runs: inline as the client's own miss, or after the stale answer by the library's runner. */
    enum Refresh { INLINE, AFTER_THE_ANSWER }

    @Path("page")
    public static final class PageResource {
        final AtomicInteger calls = new AtomicInteger();
        volatile int padding;

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String page() {
            return "page " + calls.incrementAndGet() + " ".repeat(padding);
        }
    }

    /**
     * While failing, lets the body of the method's page be written through it, then throws (not on a stale answer,
     * whose entity is the stored body).
     */
    @Provider
    public static final class FinishingInterceptor implements WriterInterceptor {
        volatile boolean failing;

        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            context.proceed();
            if (failing && context.getEntity() instanceof String) {
                throw new UncheckedIOException(new IOException("the body's digest could not be finished"));
            }
        }
    }

    private static double failures(MeterRegistry registry) {
        return registry.find(MicrometerEvents.REFRESH_FAILURES)
                .tags("route", "PageResource#page", "exception", "UncheckedIOException").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshWhoseInterceptorThrewPastTheBodyLimitIsCountedOnce(Refresh refresh) {
        failsAfterTheBody(refresh, 64 * 1024);
    }

    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshWhoseInterceptorThrewWithinTheBodyLimitIsCountedOnce(Refresh refresh) {
        failsAfterTheBody(refresh, 100);
    }

    /**
     * Jersey's encoder leaves its gzip stream over the one it was given for the runtime to close (which writes the
     * trailer): a refresh through it, watched for client failures, is still stored whole and counted nowhere.
     */
    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshThroughJerseysEncoderIsStoredWholeAndNotCounted(Refresh refresh) throws IOException {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        PageResource resource = new PageResource();
        resource.padding = 20_000;
        ResourceConfig config = new ResourceConfig().register(resource).register(ResponseCacheFeature.class);
        EncodingFilter.enableFor(config, GZipEncoder.class);
        ServletApp app = new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .servlet("jersey", new ServletContainer(config), "/api/*");
        if (refresh == Refresh.AFTER_THE_ANSWER) {
            app.initializer(new ResponseCacheInitializer());
        }
        String page2 = "page 2" + " ".repeat(20_000);
        try (Container.Running server = Container.JETTY.start(app)) {
            server.get("/api/page");
            clock.advance(Duration.ofSeconds(70));
            byte[] refreshed = server.getBytes("/api/page", "Accept-Encoding", "gzip").body();
            if (refresh == Refresh.INLINE) {
                // The client's own request ran the method, through the encoder.
                assertEquals(page2, gunzip(refreshed), refresh + ": the refreshing client's body");
            }
            Eventually.until(() -> page2.equals(server.get("/api/page").body()), WAIT,
                    () -> refresh + ": the refreshed page was never stored whole");
            assertTrue(server.get("/api/page").headers().firstValue("X-Cache").orElse("").startsWith("HIT"));
            assertEquals(2, resource.calls.get(), refresh.toString());
            assertEquals(0, registry.find(MicrometerEvents.REFRESH_FAILURES).counters().stream()
                    .mapToDouble(counter -> counter.count()).sum(), refresh + ": counted as failed");
        }
    }

    /**
     * A client that hangs up on an inline refresh past {@code max-body-size} fails the runtime's writes: what reaches
     * the outermost interceptor then (Jersey's wrapper around the client's {@code IOException}) is not the refresh's
     * failure, and is not counted; the claim ends all the same.
     */
    @Test
    void inlineRefreshWhoseClientHungUpIsNotCounted() {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        PageResource resource = new PageResource();
        AtomicInteger ended = new AtomicInteger();
        Filter endsCounted = (request, response, chain) -> {
            try {
                chain.doFilter(request, response);
            } finally {
                // Past every interceptor: whatever the cache counts for this request, it has counted.
                ended.incrementAndGet();
            }
        };
        ResourceConfig config = new ResourceConfig().register(resource).register(new FinishingInterceptor())
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.MAX_BODY_SIZE, "16KB");
        TestServer server = TestServer.jersey(config).filter(endsCounted, "/*").start();
        try {
            assertEquals("page 1", server.getText("/api/page").body());
            clock.advance(Duration.ofSeconds(70));
            // Far past what the sockets' buffers take: the server's write fails once the client is gone.
            resource.padding = 32 * 1024 * 1024;
            HangingUpClient.getAndHangUp(server, "/api/page", 1);
            Eventually.until(() -> ended.get() == 2, WAIT, () -> "the refresh whose client hung up never ended");
            assertEquals(2, resource.calls.get(), "the client's own request ran the refresh");

            resource.padding = 0;
            Eventually.until(() -> "page 3".equals(server.getText("/api/page").body()), WAIT,
                    () -> "the refresh whose client hung up still held the key");
            assertEquals(0, registry.find(MicrometerEvents.REFRESH_FAILURES).counters().stream()
                    .mapToDouble(counter -> counter.count()).sum(), "a client that hung up counted as failed");
        } finally {
            server.close();
        }
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void failsAfterTheBody(Refresh refresh, int padding) {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        PageResource resource = new PageResource();
        FinishingInterceptor interceptor = new FinishingInterceptor();
        ServletApp app = new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "16KB")
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(resource).register(interceptor)
                        .register(ResponseCacheFeature.class)), "/api/*");
        if (refresh == Refresh.AFTER_THE_ANSWER) {
            app.initializer(new ResponseCacheInitializer());
        }
        String which = refresh + " " + padding;
        try (Container.Running server = Container.JETTY.start(app)) {
            assertEquals("page 1", server.get("/api/page").body(), which);
            clock.advance(Duration.ofSeconds(70));
            interceptor.failing = true;
            resource.padding = padding;

            server.get("/api/page");
            Eventually.until(() -> resource.calls.get() == 2, WAIT, () -> which + ": the refresh never ran");
            Eventually.until(() -> failures(registry) >= 1, WAIT, () -> which + ": the failed refresh was never counted");

            interceptor.failing = false;
            resource.padding = 0;
            Eventually.until(() -> "page 3".equals(server.get("/api/page").body()), WAIT,
                    () -> which + ": the failed refresh still held the key");
            assertEquals(1, failures(registry), which + ": counted once");
            assertEquals(3, resource.calls.get(), which);
        }
    }
}
