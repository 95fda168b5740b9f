package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * A cached Jersey page whose message body writer throws part-way through a refresh, after the page's first line and
 * {@code more} bytes (within {@code max-body-size} or past it), the refresh run inline or after the stale answer by the
 * library's runner: what the tests of a writer that threw share. Each names the exception its writer throws and
 * proves what a failed refresh does: counted once under it, and nothing stored.
 */
final class RefreshWhoseWriterThrowsMidPage {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** How the refresh runs: inline as the client's own miss, or after the stale answer by the library's runner. */
    enum Refresh { INLINE, AFTER_THE_ANSWER }

    public record Page(int call) {
    }

    @Path("page")
    public static final class PageResource {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public Page page() {
            return new Page(calls.incrementAndGet());
        }
    }

    /** While failing, writes the page's first line and {@code more} bytes, flushes, then throws its failure. */
    @Provider
    @Produces("text/plain")
    public static final class BreakingWriter implements MessageBodyWriter<Page> {
        private final Supplier<RuntimeException> failure;
        private final int more;
        volatile boolean failing;

        BreakingWriter(Supplier<RuntimeException> failure, int more) {
            this.failure = failure;
            this.more = more;
        }

        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Page.class;
        }

        @Override
        public void writeTo(Page page, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            out.write(("page " + page.call()).getBytes(StandardCharsets.UTF_8));
            if (failing) {
                out.write(new byte[more]);
                out.flush();
                throw failure.get();
            }
        }
    }

    private RefreshWhoseWriterThrowsMidPage() {
    }

    static double failures(MeterRegistry registry, String exception) {
        return registry.find(MicrometerEvents.REFRESH_FAILURES)
                .tags("route", "PageResource#page", "exception", exception).counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    /** The page deployed on a running container, with the clock, registry, resource and writer it was deployed with. */
    record Deployment(Container.Running server, MutableClock clock, MeterRegistry registry, PageResource resource,
                      BreakingWriter writer, String which) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    /** Deploys the page on {@code container}, its writer throwing {@code failure} after {@code more} bytes once failing. */
    static Deployment deploy(Container container, Refresh refresh, int more, Supplier<RuntimeException> failure) {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        PageResource resource = new PageResource();
        BreakingWriter writer = new BreakingWriter(failure, more);
        ServletApp app = new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "16KB")
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(resource).register(writer)
                        .register(ResponseCacheFeature.class)), "/api/*");
        if (refresh == Refresh.AFTER_THE_ANSWER) {
            app.initializer(new ResponseCacheInitializer());
        }
        return new Deployment(container.start(app), clock, registry, resource, writer,
                container + " " + refresh + " " + more);
    }

    /**
     * Caches page 1, lets it go stale and has the next request's refresh fail; returns once the refresh ran and was
     * counted under {@code exception}.
     */
    static void failOneRefresh(Deployment page, String exception) {
        String which = page.which();
        assertEquals("page 1", page.server().get("/api/page").body(), which);
        page.clock().advance(Duration.ofSeconds(70));
        page.writer().failing = true;

        page.server().get("/api/page");
        Eventually.until(() -> page.resource().calls.get() == 2, WAIT, () -> which + ": the refresh never ran");
        Eventually.until(() -> failures(page.registry(), exception) >= 1, WAIT,
                () -> which + ": the failed refresh was never counted");
    }

    /**
     * Caches the page, lets it go stale and has its refresh's writer throw {@code failure} after {@code more} bytes;
     * the refresh ran, was counted once under {@code exception} and held the key no longer: the next refresh stored
     * page 3.
     */
    static void failsMidBody(Container container, Refresh refresh, int more, Supplier<RuntimeException> failure,
                             String exception) {
        try (Deployment page = deploy(container, refresh, more, failure)) {
            failOneRefresh(page, exception);
            String which = page.which();
            page.writer().failing = false;
            Eventually.until(() -> "page 3".equals(page.server().get("/api/page").body()), WAIT,
                    () -> which + ": the failed refresh still held the key");
            assertEquals(1, failures(page.registry(), exception), which + ": counted once");
            assertEquals(3, page.resource().calls.get(), which);
        }
    }
}
