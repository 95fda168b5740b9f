package dev.responsecache.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/** Responses at the edges of what may be stored; every body carries the call count, so a hit shows. */
public class EdgeServlet extends HttpServlet {

    private final AtomicInteger calls = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int call = calls.incrementAndGet();
        response.setHeader("X-Call", Integer.toString(call));
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        switch (path) {
            case "/send-error" -> response.sendError(404, "no page " + call);
            case "/status-only" -> response.setStatus(404);
            case "/not-found-with-body" -> {
                response.setStatus(404);
                response.setContentType("text/plain");
                response.getWriter().print("missing call " + call);
            }
            case "/vary-added" -> {
                response.addHeader("Vary", "Accept-Language");
                response.setContentType("text/plain");
                response.getWriter().print(request.getHeader("Accept-Language") + " call " + call);
            }
            case "/closes-writer" -> {
                response.setContentType("text/plain");
                // The usual template: the writer closed by try-with-resources, before the filter has sent the body.
                try (java.io.PrintWriter out = response.getWriter()) {
                    out.print("closed writer call " + call);
                }
            }
            case "/closes-stream" -> {
                response.setContentType("text/plain");
                try (java.io.OutputStream out = response.getOutputStream()) {
                    out.write(("closed stream call " + call).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            case "/own-cors" -> {
                response.setHeader("Access-Control-Allow-Origin", "*");
                response.getWriter().print("open to all call " + call);
            }
            case "/request-id-replaced" -> {
                response.setHeader("X-Request-Id", "chosen by the servlet");
                response.getWriter().print("replaced call " + call);
            }
            case "/cookie" -> {
                response.addCookie(new Cookie("seen", "yes"));
                response.getWriter().print("cookie call " + call);
            }
            case "/no-store" -> {
                response.setHeader("Cache-Control", "no-store");
                response.getWriter().print("no-store call " + call);
            }
            case "/private" -> {
                response.addHeader("Cache-Control", "private");
                response.getWriter().print("private call " + call);
            }
            case "/server-error" -> {
                response.setStatus(503);
                response.getWriter().print("busy call " + call);
            }
            case "/vary-star" -> {
                response.setHeader("Vary", "*");
                response.getWriter().print("vary-star call " + call);
            }
            case "/too-large" -> {
                byte[] body = new byte[100_000];
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
            default -> {
                response.setContentType("text/plain");
                response.getWriter().print("page " + path + " call " + call);
            }
        }
    }
}
