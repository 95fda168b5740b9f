package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet response past {@code max-body-size} whose length was not declared (no {@code Content-Length}: streamed,
 * through the stream or the writer). The JAX-RS adapter's {@code Cache-Status} says {@code detail=too-large} for such a
 * response, as the servlet filter's does for a declared length; the servlet filter's gave no reason for a streamed one,
 * though it is never stored. Real Jetty and Tomcat.
 */
class StreamedResponseOverTheBodyLimitGaveNoRefusalInCacheStatusTest {

    private static final int BODY = 100_000;

    /** {@code /stream} and {@code /writer}: {@value #BODY} bytes in small writes, no length declared. */
    public static final class StreamingServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            char[] chunk = new char[1000];
            Arrays.fill(chunk, 'x');
            if ("/writer".equals(request.getPathInfo())) {
                PrintWriter out = response.getWriter();
                for (int written = 0; written < BODY; written += chunk.length) {
                    out.write(chunk);
                }
            } else {
                OutputStream out = response.getOutputStream();
                byte[] bytes = new String(chunk).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                for (int written = 0; written < BODY; written += bytes.length) {
                    out.write(bytes);
                }
            }
        }
    }

    private static Container.Running start(Container container) {
        return container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "64KB")
                .filter("cache", new ResponseCacheFilter(), "/big/*", "ttl", "60")
                .servlet("big", new StreamingServlet(), "/big/*"));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void streamedBodyPastTheLimitSaysTooLarge(Container container) {
        try (Container.Running app = start(container)) {
            for (String path : new String[] {"/big/stream", "/big/writer"}) {
                HttpResponse<String> response = app.get(path);
                assertEquals(BODY, response.body().length(), path + ": the whole body");
                assertEquals("ResponseCache; fwd=uri-miss; detail=too-large",
                        response.headers().firstValue("Cache-Status").orElse("none"), path);
                assertEquals("MISS", app.get(path).headers().firstValue("X-Cache").orElse("none"), path);
            }
        }
    }
}
