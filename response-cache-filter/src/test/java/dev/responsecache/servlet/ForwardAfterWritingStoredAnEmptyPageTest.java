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
 * A servlet that takes its writer (and writes a little) before it forwards to the page that answers: a forward clears
 * what was written before it, so the client of the servlet alone gets the forwarded page only. On Jetty, which clears
 * its own buffer and forgets the writer without going through the response wrappers, the miss sent the text written
 * before the forward in front of the page, and the entry was stored with an empty body: Jetty closes a forwarded
 * response by asking for its stream first, and the stream the capture handed out beside its writer took the body's
 * place. Every hit was an empty 200. Tomcat clears through the wrappers and passed. Each page is asked of the servlet
 * alone first (a path the filter does not map).
 */
class ForwardAfterWritingStoredAnEmptyPageTest {

    static final class Forwarding extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("written before the forward");
            if (request.getRequestURI().endsWith("/through-context")) {
                // The container's own dispatcher, which the cache does not wrap: Jetty's forward is seen as it looks its
                // own request up through the cache's (ContextDispatchSentTheTextWrittenBeforeTheForwardTest).
                getServletContext().getRequestDispatcher("/view/page").forward(request, response);
            } else {
                request.getRequestDispatcher("/view/page").forward(request, response);
            }
        }
    }

    static final class View extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("the forwarded page");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void hitIsTheForwardedPageTheServletAloneSends(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("forwarding", new Forwarding(), "/cached/*")
                .servlet("alone", new Forwarding(), "/alone/*")
                .servlet("view", new View(), "/view/*"))) {
            assertEquals("the forwarded page", app.get("/alone/report").body());

            HttpResponse<String> miss = app.get("/cached/report");
            assertEquals("the forwarded page", miss.body(), "the miss, on " + container);
            HttpResponse<String> hit = app.get("/cached/report");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals("the forwarded page", hit.body(), "the hit, on " + container);
            assertEquals(miss.headers().allValues("Content-Type"), hit.headers().allValues("Content-Type"));

            HttpResponse<String> throughContext = app.get("/cached/through-context");
            HttpResponse<String> itsHit = app.get("/cached/through-context");
            assertEquals("HIT", itsHit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals("the forwarded page", throughContext.body(), "the miss, on " + container);
            assertEquals("the forwarded page", itsHit.body(), "the hit, on " + container);
        }
    }
}
