package dev.responsecache.sample;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code GET /metrics}: every meter of the application, the cache's among them, in the Prometheus text format. */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!(getServletContext().getAttribute(MetricsListener.REGISTRY) instanceof PrometheusMeterRegistry registry)) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "no meter registry");
            return;
        }
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.getWriter().write(registry.scrape());
    }
}
