package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stale-while-revalidate in the servlet filter on real Jetty and Tomcat, for one store: within the window an expired
 * entry is answered at once and in full while one refresh runs the servlet again for the same request; the refreshed
 * entry replaces it; a failed refresh keeps it; past the window, or for another user or vary value, it is never used.
 */
abstract class StaleWhileRevalidateContract {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final MutableClock clock = new MutableClock();
    private final RefreshedServlet servlet = new RefreshedServlet();
    private Container.Running app;

    /** The store under test: its context-params. */
    abstract ServletApp withStore(ServletApp app);

    private void start(Container container) {
        app = container.start(withStore(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                // Far longer than any refresh here: a slow machine never makes a refresh look abandoned.
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s"))
                .filter("user", new TestUserFilter(), "/*")
                .filter("cache", new ResponseCacheFilter(), "/swr/*", "ttl", "60", "staleWhileRevalidate", "30",
                        "varyBy", "header:Accept-Language,principal")
                .servlet("refreshed", servlet, "/swr/*"));
    }

    @AfterEach
    void stop() {
        servlet.gate.countDown();
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleAnswerArrivesInFullWhileOneRefreshIsBlockedAndTheRefreshReplacesIt(Container container)
            throws InterruptedException {
        start(container);
        HttpResponse<String> miss = app.get("/swr/a");
        assertEquals("/swr/a call 1 user null", miss.body());
        clock.advance(Duration.ofSeconds(70));
        servlet.blocking.set(true);

        HttpResponse<String> stale = app.get("/swr/a");
        // The client has the whole stale answer while the refresh is still blocked in the servlet.
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("close", stale.headers().firstValue("Connection").orElseThrow(),
                "the connection is busy with the refresh: the client must not send its next request on it");
        assertEquals("70", stale.headers().firstValue("Age").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; ttl=-10; detail=revalidating",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertTrue(servlet.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the refresh runs");

        HttpResponse<String> meanwhile = app.get("/swr/a");
        assertEquals("STALE", meanwhile.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(miss.body(), meanwhile.body());
        assertEquals(2, servlet.calls.get(), "one refresh, not one per stale answer");

        servlet.gate.countDown();
        Eventually.until(() -> "HIT".equals(app.get("/swr/a").headers().firstValue("X-Cache").orElse("")), WAIT,
                () -> "the refreshed entry was never stored");
        HttpResponse<String> hit = app.get("/swr/a");
        assertEquals("/swr/a call 2 user null", hit.body());
        assertEquals("0", hit.headers().firstValue("Age").orElseThrow());
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void failedRefreshKeepsTheStaleEntry(Container container) {
        start(container);
        HttpResponse<String> miss = app.get("/swr/b");
        clock.advance(Duration.ofSeconds(61));
        servlet.answers503.set(true);
        assertEquals(miss.body(), app.get("/swr/b").body());
        // Every refresh fails; whether one is running or not, the answer is the stale entry.
        Eventually.until(() -> servlet.calls.get() >= 3 || servlet.calls.get() >= 2 && stale(miss, "/swr/b"), WAIT,
                () -> "the refresh never ran");
        assertTrue(stale(miss, "/swr/b"));
        servlet.answers503.set(false);
        Eventually.until(() -> "HIT".equals(app.get("/swr/b").headers().firstValue("X-Cache").orElse("")), WAIT,
                () -> "a successful refresh was never stored");
    }

    private boolean stale(HttpResponse<String> miss, String path) {
        HttpResponse<String> answer = app.get(path);
        return answer.statusCode() == 200 && miss.body().equals(answer.body())
                && "STALE".equals(answer.headers().firstValue("X-Cache").orElse(""));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void pastTheWindowTheMethodRunsAsOnAnyMiss(Container container) {
        start(container);
        app.get("/swr/c");
        clock.advance(Duration.ofSeconds(90));
        HttpResponse<String> miss = app.get("/swr/c");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("/swr/c call 2 user null", miss.body());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleEntryNeverAnswersAnotherUserOrVaryValueAndItsRefreshRunsAsItsOwnUser(Container container) {
        start(container);
        app.get("/swr/d", "X-User", "alice", "Accept-Language", "fr");
        clock.advance(Duration.ofSeconds(70));
        servlet.blocking.set(true);
        servlet.gate.countDown();
        HttpResponse<String> bob = app.get("/swr/d", "X-User", "bob", "Accept-Language", "fr");
        assertEquals("MISS", bob.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("/swr/d call 2 user bob", bob.body());
        HttpResponse<String> german = app.get("/swr/d", "X-User", "alice", "Accept-Language", "de");
        assertEquals("MISS", german.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("/swr/d call 3 user alice", german.body());
        HttpResponse<String> alice = app.get("/swr/d", "X-User", "alice", "Accept-Language", "fr");
        assertEquals("STALE", alice.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("/swr/d call 1 user alice", alice.body());
        Eventually.until(() -> "HIT".equals(app.get("/swr/d", "X-User", "alice", "Accept-Language", "fr").headers()
                .firstValue("X-Cache").orElse("")), WAIT, () -> "the refresh was never stored");
        assertEquals("/swr/d call 4 user alice",
                app.get("/swr/d", "X-User", "alice", "Accept-Language", "fr").body(),
                "the refresh ran as alice, with her Accept-Language");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void headOnAStaleEntryIsAnsweredStaleAndStartsNoRefresh(Container container) {
        start(container);
        HttpResponse<String> miss = app.get("/swr/e");
        clock.advance(Duration.ofSeconds(70));
        HttpResponse<String> head = send(HttpRequest.newBuilder(app.uri("/swr/e"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("STALE", head.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(Integer.toString(miss.body().length()),
                head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(1, servlet.calls.get(), "a HEAD never stores, so it refreshes nothing");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void conditionalRequestOnAStaleEntryIsA304AndStillRefreshes(Container container) {
        start(container);
        app.get("/swr/f");
        String etag = app.get("/swr/f").headers().firstValue("ETag").orElseThrow();
        clock.advance(Duration.ofSeconds(70));
        HttpResponse<String> notModified = send(HttpRequest.newBuilder(app.uri("/swr/f"))
                .header("If-None-Match", etag));
        assertEquals(304, notModified.statusCode());
        assertEquals("STALE", notModified.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());
        Eventually.until(() -> "HIT".equals(app.get("/swr/f").headers().firstValue("X-Cache").orElse("")), WAIT,
                () -> "the refresh was never stored");
        assertEquals("/swr/f call 2 user null", app.get("/swr/f").body());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshStartedByAConditionalRequestStoresTheWholeResponse(Container container) {
        start(container);
        app.get("/swr/etag");
        clock.advance(Duration.ofSeconds(70));
        HttpResponse<String> notModified = send(HttpRequest.newBuilder(app.uri("/swr/etag"))
                .header("If-None-Match", "\"v1\""));
        assertEquals(304, notModified.statusCode());
        // The refresh runs without the client's If-None-Match, so the servlet answers 200 and it is stored. Polled
        // with HEAD, which starts no refresh of its own, and a far deadline: the refresh runs after the 304 reached
        // the client.
        Eventually.until(() -> "HIT".equals(send(HttpRequest.newBuilder(app.uri("/swr/etag"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())).headers().firstValue("X-Cache").orElse("")),
                WAIT, () -> "the refresh of a conditional request stored nothing; calls=" + servlet.calls.get());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Answers its path, call number and user; told to, blocks every call after the first on a gate, or fails. */
    static final class RefreshedServlet extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean blocking = new AtomicBoolean();
        final AtomicBoolean answers503 = new AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            if (blocking.get()) {
                entered.countDown();
                try {
                    if (!gate.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            response.setContentType("text/plain;charset=utf-8");
            if (answers503.get()) {
                response.setStatus(503);
                response.getWriter().write("backend down");
                return;
            }
            if (request.getRequestURI().endsWith("/etag")) {
                // Evaluates preconditions itself, as DefaultServlet or JAX-RS evaluatePreconditions do.
                response.setHeader("ETag", "\"v1\"");
                if ("\"v1\"".equals(request.getHeader("If-None-Match"))) {
                    response.setStatus(304);
                    return;
                }
            }
            String user = request.getUserPrincipal() == null ? null : request.getUserPrincipal().getName();
            response.getWriter().write(request.getRequestURI() + " call " + call + " user " + user);
        }
    }
}
