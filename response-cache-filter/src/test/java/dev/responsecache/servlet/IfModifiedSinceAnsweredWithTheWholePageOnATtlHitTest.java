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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that overrides {@code HttpServlet.getLastModified} (and the containers' default servlets, for static
 * files) answers a client's {@code If-Modified-Since} at or after its {@code Last-Modified} with a 304 itself, and a
 * browser that got the page without an {@code ETag} (a miss carries none the application did not set) revalidates
 * with that date alone. With a fixed ttl a hit answered it with the whole 200, body included, every time (the date
 * was evaluated only in the header-driven mode). RFC 9111 4.3.2 asks a cache to evaluate it against the stored
 * {@code Last-Modified}: the hit is a 304 as the servlet's own answer is, and an earlier date still gets the page.
 * Each request is asked of the servlet alone first (a path the filter does not map), then of a hit.
 */
class IfModifiedSinceAnsweredWithTheWholePageOnATtlHitTest {

    private static final String LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT";

    @TempDir
    Path files;

    static final class DatedPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected long getLastModified(HttpServletRequest request) {
            return Instant.parse("2023-11-14T22:13:20Z").toEpochMilli();
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write("dated page".getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hitAnswersIfModifiedSinceAsTheServletDoes(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", new DatedPage(), "/*"))) {
            HttpResponse<String> miss = app.get("/cached/page");
            assertEquals(LAST_MODIFIED, miss.headers().firstValue("Last-Modified").orElseThrow());

            for (String since : new String[] {LAST_MODIFIED, "Wed, 15 Nov 2023 00:00:00 GMT"}) {
                assertEquals(304, app.get("/alone/page", "If-Modified-Since", since).statusCode(), since);
                HttpResponse<String> hit = app.get("/cached/page", "If-Modified-Since", since);
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"), since);
                assertEquals(304, hit.statusCode(), "the servlet's own answer to " + since + ", on " + container);
                assertEquals("", hit.body());
            }
            String earlier = "Mon, 13 Nov 2023 22:13:20 GMT";
            assertEquals(200, app.get("/alone/page", "If-Modified-Since", earlier).statusCode());
            HttpResponse<String> changed = app.get("/cached/page", "If-Modified-Since", earlier);
            assertEquals(200, changed.statusCode());
            assertEquals("dated page", changed.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hitOfAStaticFileAnswersIfModifiedSinceAsTheDefaultServletDoes(Container container) throws IOException {
        for (String directory : new String[] {"cached", "alone"}) {
            Path file = Files.createDirectories(files.resolve(directory)).resolve("notes.txt");
            Files.writeString(file, "static notes");
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2023-11-14T22:13:20Z")));
        }
        try (Container.Running app = container.start(new ServletApp().staticFiles(files)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60"))) {
            HttpResponse<String> miss = app.get("/cached/notes.txt");
            assertEquals("static notes", miss.body());
            assertEquals(LAST_MODIFIED, miss.headers().firstValue("Last-Modified").orElseThrow());

            assertEquals(304, app.get("/alone/notes.txt", "If-Modified-Since", LAST_MODIFIED).statusCode());
            HttpResponse<String> hit = app.get("/cached/notes.txt", "If-Modified-Since", LAST_MODIFIED);
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(304, hit.statusCode(), "the default servlet's own answer, on " + container);
        }
    }
}
