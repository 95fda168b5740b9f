package dev.responsecache.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * A plain servlet, not JAX-RS: an HTML report of the products in a category ({@code /reports/tools}), or of every
 * category ({@code /reports/}), slow because the catalogue is. web.xml puts {@code ResponseCacheFilter} in front of
 * it. A name that is no category is a 404 sent with {@code sendError}, which the filter passes through uncached (the
 * container renders the error page after the filter returns), so made-up names never fill the cache.
 */
public final class ReportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String category = path == null || path.length() < 2 ? null : path.substring(1);
        if (category != null && !Catalogue.INSTANCE.isCategory(category)) {
            // The name is not echoed: the container renders the error page, and a request's text has no place in it.
            response.sendError(HttpServletResponse.SC_NOT_FOUND,
                    "No such report: the categories are tools, garden and kitchen");
            return;
        }
        List<Product> products = Catalogue.INSTANCE.search(category, 20);
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter html = response.getWriter();
        html.println("<!DOCTYPE html>");
        html.println("<html><head><title>Report</title></head><body>");
        html.println("<h1>Products in " + escape(category == null ? "every category" : category) + "</h1>");
        html.println("<table><tr><th>Id</th><th>Name</th><th>Price (€)</th></tr>");
        for (Product product : products) {
            html.println("<tr><td>" + product.id() + "</td><td>" + escape(product.name()) + "</td><td>"
                    + product.price() + "</td></tr>");
        }
        html.println("</table>");
        html.println("<p>Backend lookups so far: " + Catalogue.INSTANCE.lookups() + "</p>");
        html.println("</body></html>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
