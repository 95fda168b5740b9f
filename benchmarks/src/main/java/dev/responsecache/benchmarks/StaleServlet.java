package dev.responsecache.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The 1 KiB body after a backend's delay, storable the first time only when {@code storeFirst}: every later response
 * says {@code no-store}. Behind a filter with a 1 s ttl and a long staleWhileRevalidate, the first entry then stays
 * expired within its window for the whole run (each refresh, one at a time, takes {@code delayMillis} and is refused),
 * so every request is a stale answer; with {@code storeFirst} false, every request is a miss that pays the delay.
 */
final class StaleServlet extends HttpServlet {

    private final transient Runs runs;
    private final String name;
    private final AtomicBoolean storable;
    private final long delayMillis;

    StaleServlet(Runs runs, String name, boolean storeFirst, long delayMillis) {
        this.runs = runs;
        this.name = name;
        this.storable = new AtomicBoolean(storeFirst);
        this.delayMillis = delayMillis;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        runs.ran(name);
        if (!storable.compareAndSet(true, false)) {
            // Said first, so that requests coalesced behind this one are released at once to run it themselves.
            response.setHeader("Cache-Control", "no-store");
            try {
                Thread.sleep(delayMillis); // stands for a database or remote call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        response.setContentType(Bodies.TYPE);
        response.setContentLength(Bodies.ONE_KIB.length);
        response.getOutputStream().write(Bodies.ONE_KIB);
    }
}
