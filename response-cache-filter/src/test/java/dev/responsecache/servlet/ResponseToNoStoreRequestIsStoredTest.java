package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9111 5.2.1.5: a request's {@code Cache-Control: no-store} "indicates that a cache MUST NOT store any part of
 * either this request or any response to it". With {@code responsecache.honour-client-refresh} off (the default),
 * the header-driven mode ignored the request's directive altogether: the miss it caused was stored, and answered the
 * next client (X-Cache: HIT) after the page changed. The stored entry may still answer such a request; only what it
 * fetches is kept out.
 */
class ResponseToNoStoreRequestIsStoredTest {

    private final AtomicInteger version = new AtomicInteger(1);
    private Container.Running app;

    @BeforeEach
    void start() {
        app = Container.JETTY.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("origin", new Origin(), "/h/*"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void responseToANoStoreRequestIsNotStored() {
        assertEquals("version 1", app.get("/h/page", "Cache-Control", "no-store").body());
        version.set(2);
        HttpResponse<String> next = app.get("/h/page");
        // Got: "version 1" (X-Cache: HIT). Due: "version 2", nothing of the no-store request's response being kept.
        assertEquals("version 2", next.body(), "X-Cache: " + next.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void aStoredResponseStillAnswersANoStoreRequest() {
        assertEquals("version 1", app.get("/h/page").body());
        version.set(2);
        HttpResponse<String> noStore = app.get("/h/page", "Cache-Control", "no-store");
        assertEquals("version 1", noStore.body(), "X-Cache: "
                + noStore.headers().firstValue("X-Cache").orElse("none"));
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "max-age=60");
            response.setContentType("text/plain");
            response.getOutputStream().write(("version " + version.get()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
