package dev.responsecache.contract;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A plain servlet behind the cache filter, answering the same paths as {@link ItemsResource} with the same
 * responses, so that one test runs against either adapter. Counts its invocations in the same counter.
 */
public class ReportServlet extends HttpServlet {

    /** Sets a price at {@code /prices/{id}}: 204, or 400 for a blank one. */
    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String price = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (price.isBlank()) {
            response.setStatus(400);
            return;
        }
        Counters.prices(getServletContext()).put(request.getPathInfo().substring("/prices/".length()), price);
        response.setStatus(204);
    }

    /**
     * {@code /prices/{id}/reprice}: sets a price and sends the client to the product (303, a path-absolute Location);
     * {@code /prices/{id}/relocate}: the same with a Location relative to the request ({@code ../{id}}).
     */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String rest = request.getPathInfo().substring("/prices/".length());
        boolean relative = rest.endsWith("/relocate");
        String id = rest.replace("/reprice", "").replace("/relocate", "");
        Counters.prices(getServletContext()).put(id, new String(request.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
        response.setStatus(303);
        response.setHeader("Location", relative ? "../" + id
                : request.getContextPath() + request.getServletPath() + "/prices/" + id);
    }

    /** {@code /vary-response}: 204, so that the cache evicts the path (RFC 9111 4.4). */
    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(204);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int call = Counters.counter(getServletContext(), Counters.CALLS).incrementAndGet();
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        response.setCharacterEncoding("UTF-8");
        response.setContentType("text/plain");
        if (path.startsWith("/items/")) {
            String id = path.substring("/items/".length());
            response.setStatus(203);
            response.setContentType("application/json");
            response.setHeader("X-Item", id);
            response.addHeader("X-Multi", "one");
            response.addHeader("X-Multi", "two");
            response.getWriter().print("{\"id\":\"" + id + "\",\"call\":" + call + "}");
        } else if (path.equals("/upstream-cached")) {
            // As relayed, padded and with an empty line: left out and trimmed on the miss and on every hit alike.
            response.setHeader("Cache-Status", " OriginCache; hit ");
            response.addHeader("Cache-Status", "");
            response.setHeader("X-Cache", "HIT");
            response.getWriter().print("upstream-cached " + call);
        } else if (path.equals("/validated")) {
            // The header-driven mode's revalidation: evaluates If-None-Match itself, as DefaultServlet does.
            response.setHeader("ETag", "\"v1\"");
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            if ("\"v1\"".equals(request.getHeader("If-None-Match"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                response.setHeader("X-Validated", String.valueOf(call));
                return;
            }
            response.getWriter().print("validated " + call);
        } else if (path.equals("/language")) {
            response.getWriter().print(request.getHeader("Accept-Language") + " " + call);
        } else if (path.equals("/vary-response")) {
            response.setHeader("Vary", "X-Flavour");
            response.getWriter().print(request.getHeader("X-Flavour") + " " + call);
        } else if (path.equals("/cookie")) {
            response.addCookie(new Cookie("session", "abc"));
            response.getWriter().print("cookie " + call);
        } else if (path.equals("/private") || path.equals("/no-store")) {
            response.setHeader("Cache-Control", path.substring(1));
            response.getWriter().print(path.substring(1) + " " + call);
        } else if (path.equals("/server-error")) {
            response.setStatus(503);
            response.getWriter().print("unavailable " + call);
        } else if (path.equals("/accepted")) {
            response.setStatus(202);
            response.getWriter().print("accepted " + call);
        } else if (path.equals("/event-stream")) {
            response.setContentType("text/event-stream");
            response.getWriter().print("data: events " + call + "\n\n");
        } else if (path.equals("/nothing")) {
            response.getOutputStream().write(new byte[0]);
        } else if (path.equals("/written-after-nothing")) {
            response.getOutputStream().write(new byte[0]);
            response.getOutputStream().write(("written after nothing " + call).getBytes(StandardCharsets.UTF_8));
        } else if (path.equals("/empty")) {
            response.setStatus(204);
            response.setHeader("X-Empty", String.valueOf(call));
        } else if (path.startsWith("/prices/")) {
            String id = path.substring("/prices/".length());
            response.getWriter().print("price " + id + " is "
                    + Counters.prices(getServletContext()).getOrDefault(id, "10"));
        } else if (path.equals("/session/token")) {
            String token = UUID.randomUUID().toString();
            request.getSession(true).setAttribute("csrf", token);
            response.getWriter().print(token);
        } else if (path.equals("/session/login")) {
            request.getSession(true).setAttribute("user", "alice");
            response.getWriter().print("welcome");
        } else if (path.equals("/session/greeting")) {
            HttpSession session = request.getSession(false);
            Object user = session == null ? null : session.getAttribute("user");
            response.getWriter().print("hello " + (user == null ? "stranger" : user));
        } else if (path.startsWith("/stale/")) {
            StaleBehaviour behaviour = StaleBehaviour.of(getServletContext());
            if (behaviour.mode == StaleBehaviour.Mode.FAIL_MAPPED) {
                response.sendError(503);
                return;
            }
            String body = behaviour.call(path.substring("/stale/".length()), call);
            if (behaviour.mode == StaleBehaviour.Mode.ANSWER_503) {
                response.setStatus(503);
                body = "backend down";
            }
            response.getWriter().print(body);
        } else if (path.equals("/catalog")) {
            response.setContentType("application/json");
            response.getWriter().print(Catalog.json(call));
        } else if (path.equals("/catalog-encoded")) {
            response.setContentType("application/json");
            response.setHeader("Content-Encoding", "gzip");
            response.getOutputStream().write(Catalog.gzipped(Catalog.json(call)));
        } else if (path.equals("/large")) {
            response.setContentType("application/octet-stream");
            response.getOutputStream().write(new byte[4096]);
        } else {
            response.setHeader("X-Report", "yes");
            response.getWriter().print("report " + path + " call " + call);
        }
    }
}
