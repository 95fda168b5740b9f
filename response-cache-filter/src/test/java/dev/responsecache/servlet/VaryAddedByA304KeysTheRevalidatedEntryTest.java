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
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 304 updates the stored headers (RFC 9111 4.3.4), Vary included. Here the page became personalised: the origin's
 * 304 to alice's revalidation says {@code Vary: X-User} and a new freshness. The revalidated entry carries that Vary
 * but keeps the Vary values recorded when it was first stored (none), so it answers every user: bob gets alice's
 * validated page from the cache (X-Cache: HIT) where the origin sends him his own. Mechanism: ResponseCache#revalidated
 * merges the 304's headers with CacheEntry#withHeaders, which keeps the old entry's varyValues, and
 * FreshnessRules#varyMatches reads only those.
 */
class VaryAddedByA304KeysTheRevalidatedEntryTest {

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
    void bobIsNotAnsweredTheEntryAlicesRevalidationMadeVaryOnTheUser() {
        assertEquals("shared page", app.get("/h/page", "X-User", "alice").body());
        personalised.set(true);
        HttpResponse<String> alice = app.get("/h/page", "X-User", "alice");
        assertEquals("shared page", alice.body(), "alice's representation is still the stored one (tag \"v1\")");
        HttpResponse<String> bob = app.get("/h/page", "X-User", "bob");
        // Got: "shared page" (X-Cache: HIT). Due: "page for bob", the origin's answer: the entry varies on X-User.
        assertEquals("page for bob", bob.body(), "X-Cache: " + bob.headers().firstValue("X-Cache").orElse("none"));
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String user = request.getHeader("X-User");
            if (!personalised.get()) {
                response.setHeader("Cache-Control", "no-cache");
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
