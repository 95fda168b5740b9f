package dev.responsecache.contract;

import static dev.responsecache.contract.StaleRefreshOnResteasy.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

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
            PageState state = (PageState) context.getAttribute(StaleRefreshOnResteasy.STATE);
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
        PageState state = new PageState();
        try (StaleRefreshOnResteasy app = new StaleRefreshOnResteasy(PageApplication.class, state, runner)) {
            assertEquals("page 1", app.get().body());
            app.pageGoesStale();
            state.padding = padding;
            state.failing = true;
            app.getWhileTheRefreshFails();
            awaitUntil(() -> state.calls.get() == 2, "the refresh never ran");
            awaitUntil(() -> app.failures("UncheckedIOException") >= 1, "the failed refresh was never counted");

            state.padding = 0;
            state.failing = false;
            awaitUntil(() -> app.getUnchecked().body().equals("page 3"), "the failed refresh still held the key");
            assertEquals(1, app.failures("UncheckedIOException"), "counted once");
            assertEquals(3, state.calls.get());
        }
    }
}
