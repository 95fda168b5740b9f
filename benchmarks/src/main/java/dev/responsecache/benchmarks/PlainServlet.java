package dev.responsecache.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Writes the 1 KiB body with nothing in between: the bound every other row is compared with. */
final class PlainServlet extends HttpServlet {

    private final transient Runs runs;
    private final String name;

    PlainServlet(Runs runs, String name) {
        this.runs = runs;
        this.name = name;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        runs.ran(name);
        response.setContentType(Bodies.TYPE);
        response.setContentLength(Bodies.ONE_KIB.length);
        response.getOutputStream().write(Bodies.ONE_KIB);
    }
}
