package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * Without the library's filter in front of Jersey (an embedded server that runs no {@code ServletContainerInitializer}),
 * the request that wins a stale-while-revalidate refresh runs it inline, as its own miss. When the method threw an
 * exception no mapper handles there, Jersey handed it to the container and nothing counted it: the filter in front
 * counts such a refresh in {@code responsecache.refresh.failures}, the inline one was missing from it, and its claim on
 * the key stood for the rest of the window, so every request meanwhile got the stale page. Now the request's response
 * writer counts what Jersey passes to the container and ends the claim: the next request refreshes again. Real Jetty,
 * and Jersey on Grizzly without a servlet container, the clock injected.
 */
class InlineRefreshThatThrewWasNotCountedAsAFailedRefreshTest {

    /** Throws, unmapped, while failing: Jersey hands the exception to the container. */
    @Path("item")
    public static final class FailingResource {

        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String item() {
            int call = calls.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("backend down");
            }
            return "item " + call;
        }
    }

    private static double refreshFailures(MeterRegistry registry, String exception) {
        Counter counter = registry.find(MicrometerEvents.REFRESH_FAILURES)
                .tags("route", "FailingResource#item", "exception", exception).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void inlineRefreshThatThrowsIsCountedAndTheNextRequestRefreshesAgain() {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        FailingResource resource = new FailingResource();
        ResourceConfig config = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.CLOCK, clock);
        try (TestServer server = TestServer.jersey(config).start()) {
            assertEquals("item 1", server.getText("/api/item").body());
            clock.advance(Duration.ofSeconds(70));
            resource.failing.set(true);

            HttpResponse<String> failed = server.getText("/api/item");
            assertEquals(500, failed.statusCode(), "the client's own request ran the refresh and met the exception");
            assertEquals(2, resource.calls.get());
            assertEquals(1, refreshFailures(registry, "IllegalStateException"));

            resource.failing.set(false);
            HttpResponse<String> refreshed = server.getText("/api/item");
            assertEquals("item 3", refreshed.body(), "the failed refresh still held the key");
            assertEquals(1, refreshFailures(registry, "IllegalStateException"));
        }
    }

    /** The sibling outside a servlet container: the exception reaches Grizzly's response writer, not a servlet's. */
    @Test
    void onGrizzlyAnInlineRefreshThatThrowsIsCountedAndTheNextRequestRefreshesAgain() throws Exception {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        FailingResource resource = new FailingResource();
        ResourceConfig config = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.CLOCK, clock);
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/"), config,
                true);
        try {
            URI item = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort()
                    + "/api/item");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest get = HttpRequest.newBuilder(item).timeout(Duration.ofSeconds(10)).build();
            assertEquals("item 1", client.send(get, HttpResponse.BodyHandlers.ofString()).body());
            clock.advance(Duration.ofSeconds(70));
            resource.failing.set(true);

            assertEquals(500, client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(2, resource.calls.get());
            assertEquals(1, refreshFailures(registry, "IllegalStateException"));

            resource.failing.set(false);
            assertEquals("item 3", client.send(get, HttpResponse.BodyHandlers.ofString()).body(),
                    "the failed refresh still held the key");
            assertEquals(1, refreshFailures(registry, "IllegalStateException"));
        } finally {
            server.shutdownNow();
        }
    }

    /** A message body writer that throws, unmapped, while failing: counted by what it threw, past Jersey's wrapper. */
    @Test
    void inlineRefreshWhoseWriterThrowsIsCountedByWhatTheWriterThrew() {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        WrittenResource resource = new WrittenResource();
        FailingWriter writer = new FailingWriter();
        ResourceConfig config = new ResourceConfig().register(resource).register(writer)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.CLOCK, clock);
        try (TestServer server = TestServer.jersey(config).start()) {
            assertEquals("written 1", server.getText("/api/written").body());
            clock.advance(Duration.ofSeconds(70));
            writer.failing.set(true);

            assertEquals(500, server.getText("/api/written").statusCode());
            Counter counter = registry.find(MicrometerEvents.REFRESH_FAILURES)
                    .tags("route", "WrittenResource#written", "exception", "UncheckedIOException").counter();
            assertEquals(1, counter == null ? 0 : counter.count());

            writer.failing.set(false);
            assertEquals("written 3", server.getText("/api/written").body(), "the failed refresh still held the key");
        }
    }

    /** A value only {@link FailingWriter} writes. */
    public record Written(String text) {
    }

    @Path("written")
    public static final class WrittenResource {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public Written written() {
            return new Written("written " + calls.incrementAndGet());
        }
    }

    @Provider
    @Produces("text/plain")
    public static final class FailingWriter implements MessageBodyWriter<Written> {
        final AtomicBoolean failing = new AtomicBoolean();

        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Written.class;
        }

        @Override
        public void writeTo(Written written, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            if (failing.get()) {
                throw new UncheckedIOException(new IOException("writer down"));
            }
            out.write(written.text().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void errorStatusOfAnInlineRefreshIsNoFailure() {
        MeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock();
        NotFoundWhileFailing resource = new NotFoundWhileFailing();
        ResourceConfig config = new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.CLOCK, clock);
        try (TestServer server = TestServer.jersey(config).start()) {
            assertEquals("thing", server.getText("/api/thing").body());
            clock.advance(Duration.ofSeconds(70));
            resource.failing.set(true);
            assertEquals(404, server.getText("/api/thing").statusCode());
            assertEquals(0, registry.find(MicrometerEvents.REFRESH_FAILURES).counters().size());
        }
    }

    /** Throws a {@code NotFoundException} while failing: an answer of its own, not a failure. */
    @Path("thing")
    public static final class NotFoundWhileFailing {
        final AtomicBoolean failing = new AtomicBoolean();

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String thing() {
            if (failing.get()) {
                throw new NotFoundException();
            }
            return "thing";
        }
    }
}
