package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A response wrapper in front of the cache refuses {@code Connection} (as a strict wrapper that keeps
 * connection-specific fields out of HTTP/2 responses might). The stale answer at a {@code staleIfErrorDeadline} set
 * that line first, after resetting the container's response, outside the guard of the answer's own lines: the refusal
 * counted as the stale answer written, the servlet's answer went into memory, and the client got the reset response,
 * an empty 200 with neither the stale page nor the servlet's. A stale-while-revalidate answer set it the same way, and
 * the refusal became the container's 500. The line is advice (the thread goes on after the answer, so the client
 * should open another connection): a refused one is now left out, and the answer goes out without it. Real Jetty
 * and Tomcat; the deadline's real timer, waited for by the refusal it meets.
 */
class StaleAnswerAtADeadlineWhoseConnectionLineWasRefusedLeftTheClientAnEmpty200Test {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Container.class)
    void theClientGetsTheStaleAnswerAtTheDeadline(Container container) throws Exception {
        MutableClock clock = new MutableClock();
        HeldPage page = new HeldPage();
        LineRefusingFilter strict = new LineRefusingFilter("Connection");
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("strict", strict, "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("page", page, "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body());
            clock.advance(Duration.ofSeconds(61));

            try {
                CompletableFuture<HttpResponse<String>> late = HttpClient.newHttpClient().sendAsync(
                        HttpRequest.newBuilder(app.uri("/page/a")).timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> answer = late.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(strict.refusals() > 0, container + ": no Connection line was refused");
                assertEquals(200, answer.statusCode(), container.toString());
                assertEquals("page 1", answer.body(), container + ": " + answer.headers().map());
                assertEquals("STALE", answer.headers().firstValue("X-Cache").orElse("none"), container.toString());
            } finally {
                page.gate.countDown();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theClientGetsTheStaleAnswerWhileItsKeyIsRefreshed(Container container) {
        MutableClock clock = new MutableClock();
        HeldPage page = new HeldPage();
        page.gate.countDown();
        LineRefusingFilter strict = new LineRefusingFilter("Connection");
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("strict", strict, "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleWhileRevalidate", "600")
                .servlet("page", page, "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body());
            clock.advance(Duration.ofSeconds(61));

            HttpResponse<String> stale = app.get("/page/a");
            assertEquals(200, stale.statusCode(), container + ": " + stale.body());
            assertEquals("page 1", stale.body(), container.toString());
            Eventually.until(() -> "page 2".equals(app.get("/page/a").body()), WAIT,
                    () -> container + ": the key was never refreshed");
        }
    }
}
