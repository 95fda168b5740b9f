package dev.responsecache.contract;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** A plain servlet behind the cache filter: answers with its path and how many times it ran. */
public class ReportServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int call = Counters.counter(getServletContext(), Counters.CALLS).incrementAndGet();
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("X-Report", "yes");
        response.getWriter().print("report " + request.getPathInfo() + " call " + call);
    }
}
