package dev.responsecache.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers from another thread after {@code startAsync()}, writing through the async context's response. */
public class AsyncReportServlet extends HttpServlet {

    static final long ABANDONED_TIMEOUT_MILLIS = 500;

    private final AtomicInteger calls = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        int call = calls.incrementAndGet();
        response.setHeader("X-Call", Integer.toString(call));
        if ("abandoned".equals(request.getParameter("start"))) {
            // Never completes: the container times the request out and answers with an error. Not 1 ms: Jetty 12.1
            // (ee10) loses a timeout that expires while the dispatch that started it is still returning through the
            // filters, and the request then hangs forever (seen on a loaded machine, with or without the cache
            // filter, whenever the request is wrapped). A timeout far beyond that return keeps the test on the
            // container's timeout path rather than on that race.
            request.startAsync().setTimeout(ABANDONED_TIMEOUT_MILLIS);
            return;
        }
        boolean ownWrappers = "wrapped".equals(request.getParameter("start"));
        AsyncContext async = ownWrappers ? request.startAsync(request, response) : request.startAsync();
        async.start(() -> {
            try {
                HttpServletResponse out = (HttpServletResponse) async.getResponse();
                out.setContentType("text/plain;charset=UTF-8");
                out.getWriter().print("async call " + call);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                async.complete();
            }
        });
    }
}
