package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RESTEasy sibling of {@code RefreshWhoseApplicationWriterInterceptorThrewWasNeverCountedTest}: a refresh whose
 * application writer interceptor throws once the page was written through it, within {@code max-body-size} and past
 * it, run inline (no initializer ran) or after the stale answer by the library's runner. The cache's outermost
 * interceptor stored nothing and ended the claim, but nobody counted it (RESTEasy passes it to nobody who counts); now
 * it is counted once in {@code responsecache.refresh.failures}. Real Jetty, real RESTEasy, the clock injected.
 */
class ResteasyRefreshWhoseApplicationWriterInterceptorThrewWasNeverCountedTest {

    private static final String STATE = "test.page-state";

    /** What the page does on its next call; set by the test through the servlet context. */
    public static final class PageState {
        final AtomicInteger calls = new AtomicInteger();
        volatile int padding;
        volatile boolean failing;
    }

    @Path("/")
    public static class PageResource {
        @Context
        ServletContext context;

        @GET
        @Path("page")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String page() {
            PageState state = (PageState) context.getAttribute(STATE);
            String page = "page " + state.calls.incrementAndGet() + " ".repeat(state.padding);
            return state.failing ? page + FAILING : page;
        }
    }

    /** Marks a page whose writing the interceptor fails once the body went through it. */
    private static final String FAILING = "\n-- unfinished";

    @Provider
    public static class FinishingInterceptor implements WriterInterceptor {
        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            context.proceed();
            if (context.getEntity() instanceof String page && page.endsWith(FAILING)) {
                throw new UncheckedIOException(new IOException("the body's digest could not be finished"));
            }
        }
    }

    public static class PageApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, PageResource.class, FinishingInterceptor.class);
        }
    }

    private static void awaitUntil(BooleanSupplier condition, String failure) {
        ContractSuite.awaitUntil(condition, Duration.ofSeconds(30), () -> failure);
    }

    private static double failures(MeterRegistry registry) {
        return registry.find("responsecache.refresh.failures").tags("exception", "UncheckedIOException").counters()
                .stream().mapToDouble(counter -> counter.count()).sum();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 64 * 1024})
    void inlineRefreshWhoseInterceptorThrewIsCountedOnce(int padding) throws Exception {
        failsAfterThePage(padding, false);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 64 * 1024})
    void refreshAfterTheAnswerWhoseInterceptorThrewIsCountedOnce(int padding) throws Exception {
        failsAfterThePage(padding, true);
    }

    private static void failsAfterThePage(int padding, boolean runner) throws Exception {
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
            state.padding = padding;
            state.failing = true;
            try {
                client.send(page, HttpResponse.BodyHandlers.ofString());
            } catch (IOException cutShort) {
                // The runtime may end a committed response short: the client's request failed, as uncached.
            }
            awaitUntil(() -> state.calls.get() == 2, "the refresh never ran");
            awaitUntil(() -> failures(registry) >= 1, "the failed refresh was never counted");

            state.padding = 0;
            state.failing = false;
            awaitUntil(() -> {
                try {
                    return client.send(page, HttpResponse.BodyHandlers.ofString()).body().equals("page 3");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "the failed refresh still held the key");
            assertEquals(1, failures(registry), "counted once");
            assertEquals(3, state.calls.get());
        }
    }
}
