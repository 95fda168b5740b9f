package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JAX-RS refresh whose message body writer throws a {@code WebApplicationException} with a response of its own (a
 * 200 with another entity) within {@code max-body-size}, where nothing is committed: Jersey answers with that response,
 * passed through the cache's filters again for the same lookup. The refresh was counted as failed, and the replacement
 * stored all the same, answering every request as a hit for the whole ttl. A refresh counted as failed stores nothing:
 * the stale entry answers on and the next stale request refreshes again. Inline and after the stale answer; real
 * Jetty, real Jersey, the clock injected.
 */
class RefreshWhoseWriterThrewAWebApplicationExceptionStoredItsReplacementTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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

    /** While failing, writes the page's first line and {@code more} bytes, flushes, then throws. */
    @Provider
    @Produces("text/plain")
    public static final class BreakingWriter implements MessageBodyWriter<Page> {
        volatile boolean failing;
        volatile int more;

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
                throw new WebApplicationException(Response.ok("replacement", "text/plain").build());
            }
        }
    }

    private static double failures(MeterRegistry registry) {
        return registry.find(MicrometerEvents.REFRESH_FAILURES)
                .tags("route", "PageResource#page", "exception", "WebApplicationException").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    @ParameterizedTest
    @EnumSource(Refresh.class)
    void refreshWhoseWriterThrewAWebApplicationExceptionWithAResponseStoresNothing(Refresh refresh) {
        failsMidBody(Container.JETTY, refresh, 100);
    }

    private static void failsMidBody(Container container, Refresh refresh, int more) {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        PageResource resource = new PageResource();
        BreakingWriter writer = new BreakingWriter();
        writer.more = more;
        ServletApp app = new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "16KB")
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(resource).register(writer)
                        .register(ResponseCacheFeature.class)), "/api/*");
        if (refresh == Refresh.AFTER_THE_ANSWER) {
            app.initializer(new ResponseCacheInitializer());
        }
        String which = container + " " + refresh + " " + more;
        try (Container.Running server = container.start(app)) {
            assertEquals("page 1", server.get("/api/page").body(), which);
            clock.advance(Duration.ofSeconds(70));
            writer.failing = true;

            server.get("/api/page");
            Eventually.until(() -> resource.calls.get() == 2, WAIT, () -> which + ": the refresh never ran");
            Eventually.until(() -> failures(registry) >= 1, WAIT, () -> which + ": the failed refresh was never counted");

            for (int i = 0; i < 3; i++) {
                // Inline, the client of a refresh gets the runtime's answer, the replacement; never as a hit.
                HttpResponse<String> next = server.get("/api/page");
                assertNotEquals("HIT " + "replacement", next.headers().firstValue("X-Cache").orElse("none") + " "
                        + next.body(), which + ": the replacement was stored");
            }
            writer.failing = false;
            Eventually.until(() -> {
                HttpResponse<String> next = server.get("/api/page");
                return "HIT".equals(next.headers().firstValue("X-Cache").orElse("none"))
                        && next.body().startsWith("page ");
            }, WAIT, () -> which + ": the page was never stored again");
        }
    }
}
