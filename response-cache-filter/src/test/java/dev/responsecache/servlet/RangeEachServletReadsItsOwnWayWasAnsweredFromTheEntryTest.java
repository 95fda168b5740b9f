package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A range request on a stored 200 whose {@code Range} or {@code If-Range} the default servlets read each their own way
 * was answered from the entry, mostly with the whole 200: Tomcat refuses {@code If-Range: yesterday} with a 400 and
 * cuts the range for an {@code If-Range} date at or after the file's, where Jetty ignores {@code If-Range}; both cut
 * two ranges into a {@code multipart/byteranges} 206 and refuse {@code bytes=4-2} or a 20-digit position with a 416;
 * Jetty refuses {@code BYTES=0-4} which Tomcat cuts. Each is now left to the servlet; one range in the form both read
 * alike is still cut from the entry, as both cut it.
 */
class RangeEachServletReadsItsOwnWayWasAnsweredFromTheEntryTest {

    private static final String MODIFIED = "Sun, 13 Sep 2020 12:26:40 GMT";

    /** Range, then If-Range (null: none). */
    private static final List<List<String>> LEFT = List.of(
            List.of("bytes=0-4", "yesterday"), List.of("bytes=0-4", ""), List.of("bytes=0-4", MODIFIED),
            List.of("bytes=0-4", "Thu, 01 Jan 1970 00:00:00 GMT"), List.of("bytes=0-4", "W/\"v\""),
            List.of("bytes=0-4", "\"v\""), List.of("bytes=0-4,6-8"), List.of("bytes=4-2"),
            List.of("bytes=0-99999999999999999999"), List.of("BYTES=0-4"), List.of("bytes = 0-4"),
            List.of("bytes=30-40, 0-1"), List.of("bytes="));

    @ParameterizedTest
    @EnumSource(Container.class)
    void eachIsAnsweredAsTheDefaultServletAloneAnswersIt(Container container) throws IOException {
        Path files = Files.createTempDirectory("static");
        Path page = Files.writeString(files.resolve("page.txt"), "0123456789abcdefghij");
        Files.setLastModifiedTime(page, FileTime.fromMillis(1_600_000_000_000L));
        try (Container.Running alone = container.start(new ServletApp().staticFiles(files));
             Container.Running cached = container.start(new ServletApp().staticFiles(files)
                     .filter("cache", new ResponseCacheFilter(), "/*", "ttl", "60"))) {
            cached.get("/page.txt");
            HttpResponse<String> part = cached.get("/page.txt", "Range", "bytes=3-6");
            assertEquals("HIT", xCache(part));
            assertEquals(206, part.statusCode());
            assertEquals("3456", part.body());
            assertEquals(alone.get("/page.txt", "Range", "bytes=3-6").body(), part.body());
            for (List<String> fields : LEFT) {
                String[] headers = fields.size() == 1 ? new String[] {"Range", fields.get(0)}
                        : new String[] {"Range", fields.get(0), "If-Range", fields.get(1)};
                HttpResponse<String> left = cached.get("/page.txt", headers);
                HttpResponse<String> own = alone.get("/page.txt", headers);
                assertEquals(own.statusCode(), left.statusCode(), fields.toString());
                if (own.statusCode() < 400) {
                    // An error page names the server's own port.
                    assertEquals(withoutBoundary(own.body()), withoutBoundary(left.body()), fields.toString());
                }
                assertNotEquals("HIT", xCache(left), fields.toString());
            }
        }
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** A multipart body's boundary is drawn anew for each response. */
    private static String withoutBoundary(String body) {
        return body.replaceAll("--[0-9A-Za-z_]+", "--boundary");
    }
}
