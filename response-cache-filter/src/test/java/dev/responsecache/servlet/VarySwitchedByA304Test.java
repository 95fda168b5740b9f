package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sibling of {@link VaryAddedByA304KeysTheRevalidatedEntryTest}: the stored response varies on
 * {@code Accept-Language}, and the 304 to alice's revalidation switches {@code Vary} to {@code X-User}. Kept, the
 * entry would still be chosen by the language alone. It answers alice (the origin validated it for her) with the
 * 304's headers, and is not kept: bob, with the same language, gets his own page from the origin.
 */
class VarySwitchedByA304Test {

    private final AtomicBoolean personalised = new AtomicBoolean();
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
    void bobIsNotAnsweredTheEntryWhoseVaryAlicesRevalidationSwitchedToTheUser() {
        assertEquals("shared page", app.get("/h/page", "X-User", "alice", "Accept-Language", "en").body());
        personalised.set(true);
        HttpResponse<String> alice = app.get("/h/page", "X-User", "alice", "Accept-Language", "en");
        assertEquals("shared page", alice.body());
        String vary = alice.headers().firstValue("Vary").orElse("");
        assertTrue(vary.contains("X-User") && !vary.contains("Accept-Language"), "the 304's headers answer alice: "
                + vary);
        HttpResponse<String> bob = app.get("/h/page", "X-User", "bob", "Accept-Language", "en");
        assertEquals("page for bob", bob.body(), "X-Cache: " + bob.headers().firstValue("X-Cache").orElse("none"));
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String user = request.getHeader("X-User");
            if (!personalised.get()) {
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader("Vary", "Accept-Language");
                response.setHeader("ETag", "\"v1\"");
                write(response, "shared page");
                return;
            }
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("Vary", "X-User");
            String tag = "alice".equals(user) ? "\"v1\"" : "\"v1-" + user + "\"";
            response.setHeader("ETag", tag);
            if (tag.equals(request.getHeader("If-None-Match"))) {
                response.setStatus(304);
                return;
            }
            write(response, "alice".equals(user) ? "shared page" : "page for " + user);
        }

        private void write(HttpServletResponse response, String body) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
