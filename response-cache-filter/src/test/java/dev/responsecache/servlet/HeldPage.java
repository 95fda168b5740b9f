package dev.responsecache.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers {@code page N}; from its second run on, only once the gate opens (or 30 seconds passed): a servlet still
 * running when a {@code staleIfErrorDeadline} passes, or while its key is refreshed.
 */
final class HeldPage extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long WAIT_SECONDS = 30;

    final transient AtomicInteger runs = new AtomicInteger();
    final transient CountDownLatch gate = new CountDownLatch(1);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int run = runs.incrementAndGet();
        if (run > 1) {
            try {
                gate.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().write("page " + run);
    }
}
