package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9110 8.6: a server MUST NOT send {@code Content-Length} in a 304 unless its value equals the length the 200
 * would have had. A 304 the servlet filter answered from an entry set no length, and the container framed the empty
 * response with {@code Content-Length: 0} (Jetty), which a client or cache in front may take for the length of the
 * representation it holds. A 304 from the cache (GET and HEAD) now carries the stored body's length; the servlet's
 * own 304 is passed on as the container frames it alone (Jetty 12 adds {@code Content-Length: 0} to it, with or
 * without the cache: not the cache's to change).
 */
class NotModifiedCarriesNoFalseContentLengthTest {

    private static final String BODY = "eleven byte";
    private static final String TAG = "\"v1\"";

    private Container.Running app;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void a304AnsweredFromTheCacheCarriesNoContentLengthButTheStoredBodys(Container container) {
        start(container);
        HttpResponse<String> miss = app.get("/c/page");
        assertEquals(200, miss.statusCode());
        String etag = miss.headers().firstValue("ETag").orElseThrow();
        // What the container alone sends for the servlet's own 304, for the failure message.
        String alone = send("GET", "/plain/own", TAG).headers().firstValue("Content-Length").orElse("none");

        for (String method : new String[] {"GET", "HEAD"}) {
            HttpResponse<String> notModified = send(method, "/c/page", etag);
            assertEquals(304, notModified.statusCode(), method);
            assertEquals("HIT", notModified.headers().firstValue("X-Cache").orElse(null), method);
            assertLengthAbsentOrTheBodys(notModified, method + " from the cache on " + container
                    + " (the container alone: " + alone + ")");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theServletsOwn304IsPassedOnFramedAsTheContainerFramesIt(Container container) {
        start(container);
        for (String method : new String[] {"GET", "HEAD"}) {
            HttpResponse<String> notModified = send(method, "/c/own", TAG);
            assertEquals(304, notModified.statusCode(), method);
            // The container's framing of the servlet's own 304 (Jetty adds Content-Length: 0 to it, cache or
            // not) is passed on as it is: the cache adds no length of its own to it.
            String alone = send(method, "/plain/own", TAG).headers().firstValue("Content-Length").orElse("none");
            assertEquals(alone, notModified.headers().firstValue("Content-Length").orElse("none"),
                    method + " the servlet's on " + container);
        }
    }

    private static void assertLengthAbsentOrTheBodys(HttpResponse<String> response, String what) {
        Optional<String> length = response.headers().firstValue("Content-Length");
        assertTrue(length.isEmpty() || length.get().equals(
                Integer.toString(BODY.getBytes(StandardCharsets.UTF_8).length)), what + ": Content-Length " + length);
    }

    private void start(Container container) {
        app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/c/*", "ttl", "60")
                .servlet("pages", new Pages(), "/c/*")
                .servlet("plain", new Pages(), "/plain/*"));
    }

    private HttpResponse<String> send(String method, String path, String ifNoneMatch) {
        HttpRequest request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("If-None-Match", ifNoneMatch).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code /own} evaluates {@code If-None-Match} itself (a 304 without a body); {@code /page} never does. */
    private static final class Pages extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setHeader("ETag", TAG);
            if (request.getRequestURI().endsWith("/own")) {
                if (TAG.equals(request.getHeader("If-None-Match"))) {
                    response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                    return;
                }
            }
            response.getOutputStream().write(BODY.getBytes(StandardCharsets.UTF_8));
        }
    }
}
