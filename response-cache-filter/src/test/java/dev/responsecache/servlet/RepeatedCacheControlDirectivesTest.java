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
 * The header-driven mode when a response names {@code private} or {@code no-cache} both with field names and without
 * (on two field lines, as a framework and a filter each add one): the unqualified directive covers the whole
 * response (RFC 9111 5.2.2.4, 5.2.2.7), whichever comes first.
 */
class RepeatedCacheControlDirectivesTest {

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
    void privateWithFieldNamesThenUnqualifiedPrivateIsNeverSharedAcrossUsers() {
        assertEquals("hello alice", app.get("/h/private", "X-User", "alice").body());
        HttpResponse<String> bob = app.get("/h/private", "X-User", "bob");
        assertEquals("hello bob", bob.body(), "X-Cache: " + bob.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void noCacheWithFieldNamesThenUnqualifiedNoCacheIsRevalidatedBeforeEachUse() {
        assertEquals("version 1", app.get("/h/no-cache").body());
        version.set(2);
        HttpResponse<String> next = app.get("/h/no-cache");
        assertEquals("version 2", next.body(), "X-Cache: " + next.headers().firstValue("X-Cache").orElse("none"));
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body;
            if (request.getRequestURI().endsWith("/private")) {
                response.addHeader("Cache-Control", "max-age=60, private=\"X-Debug\"");
                // Added by a later layer for a personalised page.
                response.addHeader("Cache-Control", "private");
                body = "hello " + request.getHeader("X-User");
            } else {
                response.addHeader("Cache-Control", "max-age=60, no-cache=\"Set-Cookie\"");
                response.addHeader("Cache-Control", "no-cache");
                String tag = "\"v" + version.get() + "\"";
                if (tag.equals(request.getHeader("If-None-Match"))) {
                    response.setStatus(304);
                    response.setHeader("ETag", tag);
                    return;
                }
                response.setHeader("ETag", tag);
                body = "version " + version.get();
            }
            response.setContentType("text/plain");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
