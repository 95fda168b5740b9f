package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The check the late-status tests share: a servlet that writes a page and then sets a status and an {@code X-Late}
 * header, asked alone and through the cache (the miss, then the hit), must answer the same on both, and see the
 * response committed at the same points as alone.
 */
final class LateStatusAsAlone {

    /** A servlet that records, at the points the test chose, whether its response was committed. */
    abstract static class RecordingServlet extends HttpServlet {
        final List<Boolean> committed = new CopyOnWriteArrayList<>();
    }

    private LateStatusAsAlone() {
    }

    /** {@code query} on {@code container}; the first {@code points} of the miss's commit records must match alone's. */
    static void check(Container container, String query, Supplier<? extends RecordingServlet> servlets, int points) {
        RecordingServlet servlet = servlets.get();
        RecordingServlet plain = servlets.get();
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", servlet, "/cached/*")
                .servlet("plain", plain, "/plain/*"))) {
            HttpResponse<String> alone = app.get("/plain/a?" + query);
            HttpResponse<String> miss = app.get("/cached/a?" + query);
            HttpResponse<String> next = app.get("/cached/a?" + query);
            for (HttpResponse<String> cached : List.of(miss, next)) {
                assertEquals(alone.statusCode(), cached.statusCode());
                assertEquals(alone.body(), cached.body());
                assertEquals(alone.headers().allValues("X-Late"), cached.headers().allValues("X-Late"));
            }
            assertEquals(plain.committed, servlet.committed.subList(0, points), "committed at the same points as alone");
        }
    }
}
