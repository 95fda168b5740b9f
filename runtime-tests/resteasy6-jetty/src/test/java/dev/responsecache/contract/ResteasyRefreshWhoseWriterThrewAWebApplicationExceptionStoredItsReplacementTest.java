package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RESTEasy sibling of {@code RefreshWhoseWriterThrewAWebApplicationExceptionStoredItsReplacementTest}: a refresh
 * whose message body writer throws a {@code WebApplicationException} with a response of its own (a 200 with another
 * entity) within {@code max-body-size}, inline (no initializer ran) or after the stale answer by the library's runner.
 * Counted as a failed refresh, the replacement must not be stored in the page's place. Real Jetty, real RESTEasy, the
 * clock injected.
 */
class ResteasyRefreshWhoseWriterThrewAWebApplicationExceptionStoredItsReplacementTest {

    private static final String STATE = "test.wae-page-state";

    /** What the page does on its next call; set by the test through the servlet context. */
    public static final class PageState {
        final AtomicInteger calls = new AtomicInteger();
        volatile int breakAfter = -1;
    }

    /** The page's number, and how many bytes to write before throwing (-1: none, it is written whole). */
    public record Page(int call, int breakAfter) {
    }

    @Path("/")
    public static class PageResource {
        @Context
        ServletContext context;

        @GET
        @Path("page")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public Page page() {
            PageState state = (PageState) context.getAttribute(STATE);
            return new Page(state.calls.incrementAndGet(), state.breakAfter);
        }
    }

    @Provider
    @Produces(MediaType.TEXT_PLAIN)
    public static class BreakingWriter implements MessageBodyWriter<Page> {
        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return type == Page.class;
        }

        @Override
        public void writeTo(Page page, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
                throws IOException {
            out.write(("page " + page.call()).getBytes(StandardCharsets.UTF_8));
            if (page.breakAfter() >= 0) {
                out.write(new byte[page.breakAfter()]);
                out.flush();
                throw new WebApplicationException(Response.ok("replacement", MediaType.TEXT_PLAIN).build());
            }
        }
    }

    public static class PageApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, PageResource.class, BreakingWriter.class);
        }
    }

    private static void awaitUntil(BooleanSupplier condition, String failure) {
        ContractSuite.awaitUntil(condition, Duration.ofSeconds(30), () -> failure);
    }

    private static double failures(MeterRegistry registry) {
        return registry.find("responsecache.refresh.failures").tags("exception", "WebApplicationException").counters()
                .stream().mapToDouble(counter -> counter.count()).sum();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void refreshWhoseWriterThrewAWebApplicationExceptionWithAResponseStoresNothing(boolean runner) throws Exception {
        failsMidPage(100, runner);
    }

    private static void failsMidPage(int breakAfter, boolean runner) throws Exception {
        MovableClock clock = new MovableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        PageState state = new PageState();
        try (Container.Deployed app = new JettyEe10().deploy(new WebApp().jaxrs(PageApplication.class)
                .scansInitializers(runner)
                .attribute(STATE, state)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "16KB"), JaxrsRuntime.resteasy())) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest page = HttpRequest.newBuilder(app.base().resolve("/api/page"))
                    .timeout(Duration.ofSeconds(30)).build();
            assertEquals("page 1", client.send(page, HttpResponse.BodyHandlers.ofString()).body());
            clock.advance(Duration.ofSeconds(70));
            state.breakAfter = breakAfter;
            try {
                client.send(page, HttpResponse.BodyHandlers.ofString());
            } catch (IOException cutShort) {
                // The runtime may end a committed response short: the client's request failed, as uncached.
            }
            awaitUntil(() -> failures(registry) >= 1, "the failed refresh is counted");
            for (int i = 0; i < 3; i++) {
                // Inline, the client of a refresh gets the runtime's answer, the replacement; never as a hit.
                HttpResponse<String> next = client.send(page, HttpResponse.BodyHandlers.ofString());
                assertNotEquals("HIT replacement", next.headers().firstValue("X-Cache").orElse("none") + " "
                        + next.body(), "the replacement was stored (runner: " + runner + ")");
            }

            state.breakAfter = -1;
            awaitUntil(() -> {
                try {
                    HttpResponse<String> next = client.send(page, HttpResponse.BodyHandlers.ofString());
                    return "HIT".equals(next.headers().firstValue("X-Cache").orElse(""))
                            && next.body().startsWith("page ");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "the page was never stored again");
        }
    }
}
