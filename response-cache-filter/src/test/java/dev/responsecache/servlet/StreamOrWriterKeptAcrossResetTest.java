package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet may keep the writer or stream it obtained across {@code reset()} and go on writing with it: Jetty and
 * Tomcat both send what it writes then. The cache's copy had dropped that writer's charset with the reset and stored
 * an empty body, served as a 200 with {@code Content-Length: 0}; what such a writer or stream writes is not stored
 * now, and every request gets the whole page.
 */
class StreamOrWriterKeptAcrossResetTest {

    private static Container.Running start(Container container) {
        return container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/edge/*", "ttl", "60")
                .servlet("edge", new KeepsAcrossReset(), "/edge/*")
                .servlet("plain", new KeepsAcrossReset(), "/plain/*"));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void writerKeptAcrossResetIsNotStoredEmpty(Container container) {
        try (Container.Running app = start(container)) {
            for (String page : List.of("/writer", "/writer-obtained-again", "/stream", "/stream-obtained-again")) {
                HttpResponse<String> uncached = app.get("/plain" + page);
                assertEquals(200, uncached.statusCode(), page);
                assertEquals("final page", uncached.body(), page);
                for (int request = 0; request < 3; request++) {
                    HttpResponse<String> cached = app.get("/edge" + page);
                    assertEquals(200, cached.statusCode(), page);
                    assertEquals("final page", cached.body(), page + " request " + request);
                    assertEquals("MISS", cached.headers().firstValue("X-Cache").orElse("none"), page);
                }
            }
        }
    }

    static final class KeepsAcrossReset extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            String page = request.getPathInfo();
            if (page.startsWith("/writer")) {
                PrintWriter out = response.getWriter();
                out.write("draft");
                response.reset();
                response.setContentType("text/plain;charset=UTF-8");
                if (page.endsWith("again")) {
                    response.getWriter().write("final ");
                    out.write("page");
                } else {
                    out.write("final page");
                }
            } else {
                ServletOutputStream out = response.getOutputStream();
                out.write(ascii("draft"));
                response.reset();
                response.setContentType("text/plain;charset=UTF-8");
                if (page.endsWith("again")) {
                    response.getOutputStream().write(ascii("final "));
                    out.write(ascii("page"));
                } else {
                    out.write(ascii("final page"));
                }
            }
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
