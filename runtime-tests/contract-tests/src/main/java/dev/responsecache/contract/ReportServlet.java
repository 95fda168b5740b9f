package dev.responsecache.contract;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A plain servlet behind the cache filter, answering the same paths as {@link ItemsResource} with the same
 * responses, so that one test runs against either adapter. Counts its invocations in the same counter.
 */
public class ReportServlet extends HttpServlet {

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
        } else if (path.equals("/language")) {
            response.getWriter().print(request.getHeader("Accept-Language") + " " + call);
        } else if (path.equals("/vary-response")) {
            response.setHeader("Vary", "X-Flavour");
            response.getWriter().print(request.getHeader("X-Flavour") + " " + call);
        } else if (path.equals("/cookie")) {
            response.addCookie(new Cookie("session", "abc"));
            response.getWriter().print("cookie " + call);
        } else if (path.startsWith("/stale/")) {
            StaleBehaviour behaviour = StaleBehaviour.of(getServletContext());
            String body = behaviour.call(path.substring("/stale/".length()), call);
            if (behaviour.mode == StaleBehaviour.Mode.ANSWER_503) {
                response.setStatus(503);
                body = "backend down";
            }
            response.getWriter().print(body);
        } else if (path.equals("/large")) {
            response.setContentType("application/octet-stream");
            response.getOutputStream().write(new byte[4096]);
        } else {
            response.setHeader("X-Report", "yes");
            response.getWriter().print("report " + path + " call " + call);
        }
    }
}
