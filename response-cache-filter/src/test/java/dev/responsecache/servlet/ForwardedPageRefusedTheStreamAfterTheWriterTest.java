package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that takes its writer before it forwards to a page written to the output stream (a static file, a page
 * rendered in bytes): Jetty forgets the writer at a forward and hands the forwarded page its stream, so the client of
 * the servlet alone gets the page; Tomcat keeps the writer and refuses the stream, an error alone too. The capture kept
 * the writer across the forward and refused the stream itself, so on Jetty the cached path answered the page with a
 * 500. Each page is asked of the servlet alone first (a path the filter does not map).
 */
class ForwardedPageRefusedTheStreamAfterTheWriterTest {

    static final class Forwarding extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("written before the forward");
            request.getRequestDispatcher("/bytes/page").forward(request, response);
        }
    }

    static final class InBytes extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getOutputStream().write("the forwarded page".getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void forwardedPageAnswersAsItDoesWithoutTheCache(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("forwarding", new Forwarding(), "/cached/*")
                .servlet("alone", new Forwarding(), "/alone/*")
                .servlet("bytes", new InBytes(), "/bytes/*"))) {
            HttpResponse<String> alone = app.get("/alone/report");

            HttpResponse<String> miss = app.get("/cached/report");
            assertEquals(alone.statusCode(), miss.statusCode(), "the miss, on " + container);
            if (alone.statusCode() != 200) {
                return;
            }
            assertEquals(alone.body(), miss.body(), "the miss, on " + container);
            HttpResponse<String> hit = app.get("/cached/report");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(alone.body(), hit.body(), "the hit, on " + container);
        }
    }
}
