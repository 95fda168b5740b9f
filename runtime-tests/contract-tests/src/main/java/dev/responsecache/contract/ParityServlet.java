package dev.responsecache.contract;

import dev.responsecache.ResponseCacheInvalidator;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;

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
            case "/bodies/large" -> inChunks(response, Bodies.of(Bodies.LARGE));
            case "/bodies/small" -> inChunks(response, Bodies.of(Bodies.SMALL));
            case "/bodies/stall" -> inChunks(response, Bodies.of(Bodies.WHOLE));
            case "/bodies/hang-up" -> hangUp(response);
            default -> evictable(request, response, path);
        }
    }

    private void evictable(HttpServletRequest request, HttpServletResponse response, String path)
            throws IOException {
        if (path.startsWith("/evict/listed/")) {
            String id = path.substring("/evict/listed/".length());
            request.setAttribute(ResponseCacheInvalidator.RESPONSE_TAGS, new String[] {"listed"});
            response.getWriter().print("listed " + id + " " + call());
        } else if (path.startsWith("/evict/shown/")) {
            String id = path.substring("/evict/shown/".length());
            response.addHeader("X-Parity-Tags", "shown:" + id + ", shown");
            response.getWriter().print("shown " + id + " " + call());
        } else {
            response.sendError(404);
        }
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) {
        call();
        response.setHeader("X-Parity-Tags", "shown");
        response.setStatus(204);
    }

    private void inChunks(HttpServletResponse response, byte[] body) throws IOException {
        call();
        response.setContentType("application/octet-stream");
        OutputStream out = response.getOutputStream();
        for (int offset = 0; offset < body.length; offset += Bodies.CHUNK) {
            out.write(body, offset, Math.min(Bodies.CHUNK, body.length - offset));
        }
    }

    /** Streams a body larger than any socket buffer, swallowing a failed write as careless code does. */
    private void hangUp(HttpServletResponse response) {
        call();
        response.setContentType("application/octet-stream");
        byte[] body = Bodies.of(Bodies.WHOLE);
        try {
            OutputStream out = response.getOutputStream();
            for (int offset = 0; offset < body.length; offset += Bodies.CHUNK) {
                out.write(body, offset, Bodies.CHUNK);
                out.flush();
            }
        } catch (IOException swallowed) {
            // Carries on as if the client had got everything.
        }
    }
}
