package dev.responsecache.contract;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The endpoints of {@link StaleIfErrorParityContract} as a plain servlet behind cache filters;
 * {@link StaleIfErrorResource} answers the same paths alike. Counts its invocations in the same counter.
 */
public class StaleIfErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String id = path.substring(path.lastIndexOf('/') + 1);
        Outage outage = Outage.of(getServletContext());
        int status = outage.answering();
        String body = outage.body(id, Counters.counter(getServletContext(), Counters.CALLS).incrementAndGet());
        response.setStatus(status);
        response.setContentType("text/plain");
        if (outage.mode == Outage.Mode.OK) {
            response.setHeader("X-Item", id);
        }
        response.getWriter().print(body);
    }
}
