package dev.responsecache.contract;

import static dev.responsecache.contract.StaleRefreshOnResteasy.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stale-while-revalidate refresh whose resource method throws an exception no {@code ExceptionMapper} handles,
 * which RESTEasy answers with its default exception mapper's 500 through the response filters: run inline (no
 * initializer ran) or after the stale answer by the library's runner. The 500 is never stored, the stale entry
 * answers in its place (stale-if-error: inline, the client whose request ran the refresh gets it too), the key's
 * refresh claim ends so the next stale request refreshes again, and the first refresh that succeeds is stored. Such
 * a refresh is not counted in {@code responsecache.refresh.failures} on RESTEasy (docs/OPERATIONS.md says why), so
 * nothing here reads that counter. Real Jetty, real RESTEasy, the clock injected.
 */
class ResteasyRefreshWhoseMethodThrewAnUnmappedExceptionTest {

    /** Whether the page's next call throws, and how many calls ran; set by the test through the servlet context. */
    public static final class PageState {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean failing;
    }

    @Path("/")
    public static class ThrowingPageResource {
        @Context
        ServletContext context;

        @GET
        @Path("page")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30, staleIfError = 600)
        public String page() {
            PageState state = (PageState) context.getAttribute(StaleRefreshOnResteasy.STATE);
            int call = state.calls.incrementAndGet();
            if (state.failing) {
                throw new IllegalStateException("backend down (no exception mapper)");
            }
            return "page " + call;
        }
    }

    public static class ThrowingPageApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, ThrowingPageResource.class);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void refreshWhoseMethodThrewIsAnsweredStaleStoresNothingAndLetsTheNextRequestRefresh(boolean runner)
            throws Exception {
        PageState state = new PageState();
        try (StaleRefreshOnResteasy app = new StaleRefreshOnResteasy(ThrowingPageApplication.class, state, runner)) {
            assertEquals("page 1", app.get().body());
            app.pageGoesStale();
            state.failing = true;

            HttpResponse<String> first = app.get();
            assertEquals(200, first.statusCode());
            assertEquals("page 1", first.body());
            assertEquals("STALE", first.headers().firstValue("X-Cache").orElse("none"));
            if (!runner) {
                assertEquals(2, state.calls.get(), "the client's own request ran the refresh");
                assertEquals("ResponseCache; fwd=stale; fwd-status=500; ttl=-10",
                        first.headers().firstValue("Cache-Status").orElse("none"));
            }
            awaitUntil(() -> state.calls.get() >= 2, "the refresh never ran");

            // Its claim ended: the next stale request refreshes again, and is answered stale again.
            awaitUntil(() -> {
                HttpResponse<String> next = app.getUnchecked();
                assertEquals(200, next.statusCode(), "the 500 reached a client (runner: " + runner + ")");
                assertEquals("page 1", next.body(), "the 500 was stored (runner: " + runner + ")");
                assertNotEquals("HIT", next.headers().firstValue("X-Cache").orElse("none"));
                return state.calls.get() >= 3;
            }, "the failed refresh kept its claim");

            state.failing = false;
            awaitUntil(() -> {
                HttpResponse<String> next = app.getUnchecked();
                return "HIT".equals(next.headers().firstValue("X-Cache").orElse(""))
                        && !"page 1".equals(next.body()) && next.body().startsWith("page ");
            }, "the successful refresh was never stored");
        }
    }
}
