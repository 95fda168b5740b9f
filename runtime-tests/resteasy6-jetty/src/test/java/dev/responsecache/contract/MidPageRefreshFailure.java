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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A cached page whose message body writer throws part-way through a refresh, after {@code breakAfter} bytes (within
 * {@code max-body-size} or past it), the refresh run inline or after the stale answer by the library's runner: what
 * the RESTEasy tests of a writer that threw share. Each names the exception its writer throws.
 */
final class MidPageRefreshFailure {

    /** What the page does on its next call; set by the test through the servlet context. */
    public static final class PageState {
        final AtomicInteger calls = new AtomicInteger();
        final Supplier<RuntimeException> failure;
        volatile int breakAfter = -1;

        PageState(Supplier<RuntimeException> failure) {
            this.failure = failure;
        }
    }

    /** The page's number, how many bytes to write before throwing (-1: none, it is written whole) and what. */
    public record Page(int call, int breakAfter, Supplier<RuntimeException> failure) {
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
            PageState state = (PageState) context.getAttribute(StaleRefreshOnResteasy.STATE);
            return new Page(state.calls.incrementAndGet(), state.breakAfter, state.failure);
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
                throw page.failure().get();
            }
        }
    }

    public static class PageApplication extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(ResponseCacheFeature.class, PageResource.class, BreakingWriter.class);
        }
    }

    private MidPageRefreshFailure() {
    }

    /**
     * Caches the page, lets it go stale and has its refresh's writer throw {@code failure} after {@code breakAfter}
     * bytes; the failed refresh is counted once under {@code exception} and still held the key until the next
     * refresh stored page 3.
     */
    static void failsMidPage(int breakAfter, boolean runner, Supplier<RuntimeException> failure, String exception)
            throws Exception {
        PageState state = new PageState(failure);
        try (StaleRefreshOnResteasy app = new StaleRefreshOnResteasy(PageApplication.class, state, runner)) {
            assertEquals("page 1", app.get().body());
            app.pageGoesStale();
            state.breakAfter = breakAfter;
            app.getWhileTheRefreshFails();
            if (runner) {
                // Run after the stale answer, on the same thread: awaited on the answer's connection closing.
                awaitUntil(() -> app.failures(exception) >= 1, "the failed refresh is counted");
            } else {
                // Counted as the writer threw, before the runtime ended the client's response.
                assertEquals(2, state.calls.get(), "the client's own request ran the refresh");
                assertEquals(1, app.failures(exception), "the failed refresh is counted");
            }

            state.breakAfter = -1;
            awaitUntil(() -> app.getUnchecked().body().equals("page 3")
                            || "HIT".equals(app.getUnchecked().headers().firstValue("X-Cache").orElse("")),
                    "the failed refresh still held the key");
            assertEquals(1, app.failures(exception), "counted once");
            assertEquals(3, state.calls.get());
        }
    }
}
