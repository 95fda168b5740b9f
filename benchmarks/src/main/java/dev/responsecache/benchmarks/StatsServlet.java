package dev.responsecache.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code GET /stats}: how many times each endpoint's code ran, one {@code name count} line each. */
final class StatsServlet extends HttpServlet {

    private final transient Runs runs;

    StatsServlet(Runs runs) {
        this.runs = runs;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().write(runs.report());
    }
}
