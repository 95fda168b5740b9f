package dev.responsecache.servlet;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain servlet that answers each path in a different way a servlet can set status, headers and body. Every body
 * carries the number of calls so far, so a test tells a hit (same number) from a miss.
 */
public class ReportServlet extends HttpServlet {

    private final AtomicInteger calls = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int call = calls.incrementAndGet();
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        switch (path) {
            case "/stream" -> {
                response.setContentType("application/octet-stream");
                response.getOutputStream().write(("stream call " + call).getBytes(StandardCharsets.US_ASCII));
            }
            case "/utf8" -> {
                response.setContentType("text/html; charset=UTF-8");
                response.getWriter().print("<p>Grüße ✓ call " + call + "</p>");
            }
            case "/latin1" -> {
                response.setContentType("text/plain");
                response.setCharacterEncoding("ISO-8859-1");
                response.getWriter().print("café call " + call);
            }
            case "/headers" -> {
                response.setStatus(203);
                response.setContentType("text/plain;charset=UTF-8");
                response.setHeader("X-Set", "one");
                response.addHeader("X-Added", "first");
                response.addHeader("X-Added", "second");
                response.setDateHeader("Last-Modified", 1_767_225_600_000L);
                response.setIntHeader("X-Int", 42);
                byte[] body = ("headers call " + call).getBytes(StandardCharsets.UTF_8);
                response.setContentLengthLong(body.length);
                response.getOutputStream().write(body);
            }
            case "/flushed" -> {
                response.setContentType("text/plain");
                PrintWriter writer = response.getWriter();
                writer.print("early ");
                response.flushBuffer();
                writer.print("and late call " + call);
            }
            case "/reset" -> {
                response.setHeader("X-Discarded", "yes");
                response.setStatus(404);
                response.getWriter().print("discarded");
                response.reset();
                response.setContentType("text/plain");
                response.getOutputStream().write(("after reset call " + call).getBytes(StandardCharsets.US_ASCII));
            }
            case "/reset-buffer" -> {
                response.setContentType("text/plain");
                response.getOutputStream().write("discarded".getBytes(StandardCharsets.US_ASCII));
                response.resetBuffer();
                response.getOutputStream().write(("kept call " + call).getBytes(StandardCharsets.US_ASCII));
            }
            case "/large" -> {
                response.setContentType("text/plain");
                byte[] line = "0123456789abcdef".repeat(64).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 256; i++) {
                    response.getOutputStream().write(line);
                }
                response.getOutputStream().write(("call " + call).getBytes(StandardCharsets.US_ASCII));
            }
            case "/throws" -> throw new IllegalStateException("report failed, call " + call);
            case "/send-error" -> response.sendError(404, "no report " + call);
            case "/redirect" -> response.sendRedirect("/reports/utf8?from=" + call);
            case "/moved" -> {
                response.setStatus(301);
                response.setHeader("Location", "/reports/utf8");
            }
            case "/cookie" -> {
                response.addCookie(new Cookie("seen", "yes"));
                response.getWriter().print("cookie call " + call);
            }
            case "/session" -> {
                request.getSession(true);
                response.getWriter().print("session call " + call);
            }
            case "/private" -> {
                response.setHeader("Cache-Control", "private, max-age=60");
                response.getWriter().print("private call " + call);
            }
            case "/no-store" -> {
                response.setHeader("Cache-Control", "no-store");
                response.getWriter().print("no-store call " + call);
            }
            case "/vary" -> {
                response.setHeader("Vary", "X-Flavour");
                response.getWriter().print(request.getHeader("X-Flavour") + " call " + call);
            }
            case "/language" -> response.getWriter().print(request.getHeader("Accept-Language") + " call " + call);
            case "/user" -> {
                String user = request.getUserPrincipal() == null ? "anonymous" : request.getUserPrincipal().getName();
                response.getWriter().print(user + " call " + call);
            }
            case "/empty" -> {
                response.setStatus(204);
                response.setHeader("X-Empty", "call " + call);
            }
            case "/server-error" -> {
                response.setStatus(503);
                response.getWriter().print("busy call " + call);
            }
            default -> response.getWriter().print("report " + path + " call " + call);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.getWriter().print("posted call " + calls.incrementAndGet());
    }
}
