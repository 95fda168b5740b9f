package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheListener;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;

import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In the header-driven mode, a {@link MessageBodyWriter} that sets {@code Cache-Control} in {@code writeTo} (before
 * the first byte, as JAX-RS allows) gives the response the client gets its lifetime. The cache judged the lifetime
 * on the headers of the response filters, before the writer ran, and refused the response ({@code no-lifetime}),
 * though it stores the writer's other headers.
 */
class LifetimeSetByTheMessageBodyWriterWasNotStoredTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(new FeedResource(calls)).register(FeedWriter.class)
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.METER_REGISTRY, registry))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void lifetimeTheWriterSetIsStoredAndTheMissSaysSo() {
        HttpResponse<String> miss = server.getText("/api/feed/a");
        assertEquals("max-age=60", miss.headers().firstValue("Cache-Control").orElse("none"));
        assertEquals("ResponseCache; fwd=uri-miss", miss.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> hit = server.getText("/api/feed/a");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(miss.body(), hit.body());
        assertEquals("max-age=60", hit.headers().firstValue("Cache-Control").orElse("none"));
        assertEquals(1, calls.get());
        assertEquals(0, refusals("no-lifetime"));
    }

    @Test
    void writerThatSetsNoLifetimeStillShowsTheRefusal() {
        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> miss = server.getText("/api/feed/none");
            assertEquals("ResponseCache; fwd=uri-miss; detail=no-lifetime",
                    miss.headers().firstValue("Cache-Status").orElse("none"));
            assertEquals(i, calls.get());
            assertEquals(i, refusals("no-lifetime"), "counted once, when the writer has run");
        }
    }

    private double refusals(String reason) {
        Counter refusals = registry.find("responsecache.refusals").tag("reason", reason).counter();
        return refusals == null ? 0 : refusals.count();
    }

    /** The sibling behind the servlet filter: the writer's line goes onto the servlet response before the body. */
    @Test
    void lifetimeTheWriterSetIsStoredByTheServletFilterInFront() {
        server.close();
        server = TestServer.jersey(new ResourceConfig().register(new FeedResource(calls)).register(FeedWriter.class));
        server.context().addEventListener(new ResponseCacheListener());
        FilterHolder cache = new FilterHolder(ResponseCacheFilter.class);
        cache.setInitParameter("ttl", "headers");
        server.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.start();
        HttpResponse<String> miss = server.getText("/api/feed/b");
        assertEquals("ResponseCache; fwd=uri-miss", miss.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> hit = server.getText("/api/feed/b");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("max-age=60", hit.headers().firstValue("Cache-Control").orElse("none"));
        assertEquals(1, calls.get());
    }

    /** What the method returns: the writer decides how long it may be kept. */
    public record Feed(String name) {
    }

    @Path("feed")
    public static final class FeedResource {
        private final AtomicInteger calls;

        FeedResource(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Path("{name}")
        @Produces("text/plain")
        @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
        public Feed feed(@PathParam("name") String name) {
            return new Feed(name + " " + calls.incrementAndGet());
        }
    }

    @Produces("text/plain")
    public static final class FeedWriter implements MessageBodyWriter<Feed> {
        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Feed.class;
        }

        @Override
        public void writeTo(Feed feed, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws java.io.IOException {
            if (!feed.name().startsWith("none")) {
                headers.putSingle("Cache-Control", "max-age=60");
            }
            out.write(feed.name().getBytes(StandardCharsets.UTF_8));
        }
    }
}
