package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that writes a little and then forwards through a dispatcher of its {@code ServletContext} (the one its
 * config gives it, as {@code GenericServlet.getServletContext()} and Jersey MVC's JSP views reach it, the request's
 * {@code getServletContext()}, or a named dispatcher), or includes a page through one. A forward clears what was
 * written before it: the client of the servlet alone gets the forwarded page only. The cache wrapped only the
 * request's own dispatcher, so on Jetty, which clears its own buffer and not the text the capture held back, the text
 * went out in front of the forwarded page on the miss, and was stored and served so. Every answer (miss, hit) is
 * compared to the servlet's alone (a path the filter does not map), cold and with a stale-if-error deadline armed; a
 * forward after a flush is refused before the view runs, as alone, and one of the container's own request (which
 * no wrapper of the cache's sees) is seen as the view first calls on the response.
 */
class ContextDispatchSentTheTextWrittenBeforeTheForwardTest {

    private static final List<String> PAGES = List.of("config-forward", "request-context-forward", "named-forward",
            "request-named-forward", "config-include", "named-include", "flushed-config-forward",
            "async-config-forward", "unwrapped-config-forward", "flushed-unwrapped-config-forward");

    static final class Dispatching extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String page = request.getPathInfo().substring(1);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("written before;");
            if (page.startsWith("flushed")) {
                response.flushBuffer();
            }
            ServletContext context = page.startsWith("request") ? request.getServletContext() : getServletContext();
            RequestDispatcher dispatcher = page.contains("named") ? context.getNamedDispatcher("view")
                    : context.getRequestDispatcher(page.startsWith("async") ? "/async-view/page" : "/view/page");
            if (page.endsWith("include")) {
                dispatcher.include(request, response);
                response.getWriter().write(";written after");
                return;
            }
            // The container's own request, which no wrapper of the cache's sees Jetty look its own request up through.
            ServletRequest forwarded = request;
            while (page.contains("unwrapped") && forwarded instanceof ServletRequestWrapper wrapper) {
                forwarded = wrapper.getRequest();
            }
            try {
                dispatcher.forward(forwarded, response);
            } catch (IllegalStateException committed) {
                response.getWriter().write(" forward refused");
            }
        }
    }

    static final class View extends HttpServlet {
        private static final long serialVersionUID = 1L;
        /**
         * Views forwarded to after a flush: the container refuses those forwards before the view runs (the forward of
         * the container's own request is seen only as the view first calls on the response).
         */
        final AtomicInteger afterAFlush = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if ("/flushed-config-forward".equals(request.getAttribute(RequestDispatcher.FORWARD_PATH_INFO))) {
                afterAFlush.incrementAndGet();
            }
            response.setHeader("X-View", "set by the view");
            response.getWriter().write("the page");
        }
    }

    /** A view that answers asynchronously: the container does not close the forwarded response for it. */
    static final class AsyncView extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext async = request.startAsync();
            async.start(() -> {
                try {
                    response.setHeader("X-View", "set by the view");
                    response.getWriter().write("the page");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyAnswerIsWhatTheServletAloneSends(Container container) {
        MutableClock clock = new MutableClock();
        View view = new View();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                // A stale entry within staleIfError arms the deadline: the miss then runs into the cache's response
                // in memory until the servlet takes its writer.
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "60")
                .servlet("dispatching", new Dispatching(), "/cached/*")
                .servlet("alone", new Dispatching(), "/alone/*")
                .servlet("view", view, "/view/*")
                .servlet("async-view", new AsyncView(), "/async-view/*"))) {
            StringBuilder differences = new StringBuilder();
            missThenNext(app, "", differences);
            clock.advance(Duration.ofSeconds(61));
            missThenNext(app, "deadline armed, ", differences);
            assertEquals("", differences.toString(), "on " + container);
            assertEquals(0, view.afterAFlush.get(), "views run after a flush, on " + container);
        }
    }

    private static void missThenNext(Container.Running app, String when, StringBuilder differences) {
        for (String page : PAGES) {
            HttpResponse<String> alone = app.get("/alone/" + page);
            HttpResponse<String> miss = app.get("/cached/" + page);
            HttpResponse<String> next = app.get("/cached/" + page);
            compare(differences, when + page + " miss", alone, miss);
            compare(differences, when + page + " " + next.headers().firstValue("X-Cache").orElse("none"), alone,
                    next);
            if (!page.startsWith("flushed") && !"HIT".equals(next.headers().firstValue("X-Cache").orElse("none"))) {
                // What the servlet alone sends is stored (a forward after a flush, refused, need not be).
                differences.append(when).append(page).append(": not stored\n");
            }
        }
    }

    private static void compare(StringBuilder differences, String what, HttpResponse<String> alone,
                                HttpResponse<String> cached) {
        String expected = alone.statusCode() + " " + alone.headers().firstValue("X-View").orElse("-") + " "
                + alone.body();
        String actual = cached.statusCode() + " " + cached.headers().firstValue("X-View").orElse("-") + " "
                + cached.body();
        if (!expected.equals(actual)) {
            differences.append(what).append(": alone [").append(expected).append("], cached [").append(actual)
                    .append("]\n");
        }
    }
}
