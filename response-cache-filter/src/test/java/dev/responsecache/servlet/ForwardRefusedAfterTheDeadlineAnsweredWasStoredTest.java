package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that forwards to its view, through the request's dispatcher or its {@code ServletContext}'s, held past
 * its {@code staleIfErrorDeadline}: the client is answered with the stale entry, and the servlet goes on into the
 * cache's response in memory, whose result still refreshes the entry. Jetty resets its own response at a forward,
 * which is the stale answer already sent, and refuses ({@code IllegalStateException: Committed}); the servlet that
 * catches the refusal and answers otherwise had that answer stored, where alone it forwards, and every later request
 * got it. Tomcat forwards through the response it is given, and the view's page is stored. The servlet is held on a
 * gate the test opens only after the client has its answer, so only the deadline can have answered it.
 */
class ForwardRefusedAfterTheDeadlineAnsweredWasStoredTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Container.class)
    void onlyTheForwardedPageIsStored(Container container) throws Exception {
        MutableClock clock = new MutableClock();
        Forwarding forwarding = new Forwarding();
        AtomicInteger completed = new AtomicInteger();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("completed", (request, response, chain) -> {
                    chain.doFilter(request, response);
                    completed.incrementAndGet();
                }, "/*")
                .filter("cache", new ResponseCacheFilter(), "/slow/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("slow", forwarding, "/slow/*")
                .servlet("view", new View(), "/view/*"))) {
            int requests = 0;
            for (String page : List.of("/slow/request", "/slow/context")) {
                HttpResponse<String> miss = app.get(page);
                requests++;
                assertTrue(miss.body().startsWith("page "), page + ": " + miss.body());
                clock.advance(Duration.ofSeconds(61));

                forwarding.hold();
                HttpResponse<String> stale = app.get(page);
                int late = ++requests;
                assertTrue(forwarding.entered.await(30, TimeUnit.SECONDS), "the servlet was running");
                assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"), page);
                assertEquals(miss.body(), stale.body(), page);
                forwarding.release();
                // The late response is stored (or refused) once the filter in front sees it return.
                Eventually.until(() -> completed.get() >= late, WAIT, () -> page + ": the late request never ended");

                HttpResponse<String> next = app.get(page);
                requests++;
                assertTrue(next.body().startsWith("page "),
                        page + " after the deadline, " + next.headers().firstValue("X-Cache").orElse("none") + ", on "
                                + container + ": " + next.body());
                int all = requests;
                Eventually.until(() -> completed.get() >= all, WAIT, () -> page + ": a request never ended");
            }
        }
    }

    /** Writes a little, then forwards to the view, catching a refusal; held on a gate when asked to. */
    static final class Forwarding extends HttpServlet {
        private static final long serialVersionUID = 1L;
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(0);

        void hold() {
            entered = new CountDownLatch(1);
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            entered.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("written before the forward;");
            RequestDispatcher dispatcher = request.getPathInfo().equals("/request")
                    ? request.getRequestDispatcher("/view/page")
                    : getServletContext().getRequestDispatcher("/view/page");
            try {
                dispatcher.forward(request, response);
            } catch (IllegalStateException | ServletException | IOException refused) {
                response.getWriter().write(" forward refused");
            }
        }
    }

    static final class View extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("page " + calls.incrementAndGet());
        }
    }
}
