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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that flushes what it wrote and then forwards: the response is committed, and both containers refuse the
 * forward with an {@code IllegalStateException} (Tomcat asks the response it is given, Jetty its own when it clears
 * its buffer), so the client of the servlet alone gets the text written before the flush. The capture holds that text
 * back, so Jetty's own response was not committed: the forward went through, the forwarded page was appended to the
 * held text, and that page, which no container sends, was the miss and every hit. Each page is asked of the servlet
 * alone first (a path the filter does not map).
 */
class ForwardAfterAFlushAppendedThePageTest {

    static final class FlushingThenForwarding extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("flushed before the forward;");
            response.flushBuffer();
            try {
                request.getRequestDispatcher("/view/page").forward(request, response);
            } catch (IllegalStateException committed) {
                response.getWriter().write(" forward refused");
            }
        }
    }

    static final class View extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write(" the forwarded page");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theForwardIsRefusedAsWithoutTheCache(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("flushing", new FlushingThenForwarding(), "/cached/*")
                .servlet("alone", new FlushingThenForwarding(), "/alone/*")
                .servlet("view", new View(), "/view/*"))) {
            HttpResponse<String> alone = app.get("/alone/report");
            assertEquals("flushed before the forward; forward refused", alone.body(), "without the cache");

            assertEquals(alone.body(), app.get("/cached/report").body(), "the miss, on " + container);
            assertEquals(alone.body(), app.get("/cached/report").body(), "the next request, on " + container);
        }
    }
}
