package dev.responsecache.contract;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The endpoints of {@link ParityContract} as a plain servlet behind cache filters; {@link ParityResource} answers the
 * same paths alike. Counts its invocations in the same counter.
 */
public class ParityServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private int call() {
        return Counters.counter(getServletContext(), Counters.CALLS).incrementAndGet();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String self = request.getRequestURL().toString();
        response.setContentType("text/plain");
        switch (path) {
            case "/vary/language" -> response.getWriter().print("language " + call());
            case "/vary/accept" -> response.getWriter().print("accept " + call());
            case "/vary/own" -> {
                // Two field lines, which the filter merges with its own names into one.
                response.addHeader("Vary", "accept-language");
                response.addHeader("Vary", "Origin");
                response.getWriter().print("own " + call());
            }
            case "/vary/cookie" -> response.getWriter().print("cookie " + call());
            case "/host/absolute" -> {
                call();
                response.setStatus(308);
                response.setHeader("Location", self.replace("/absolute", "/target"));
            }
            case "/host/links" -> {
                call();
                response.getWriter().print("{\"next\":\"" + self.replace("/links", "/target") + "\"}");
            }
            case "/host/cors" -> {
                response.setHeader("Access-Control-Allow-Origin", request.getHeader("Origin"));
                response.getWriter().print("data " + call());
            }
            case "/host/plain" -> response.getWriter().print("plain " + call());
            default -> response.sendError(404);
        }
    }
}
