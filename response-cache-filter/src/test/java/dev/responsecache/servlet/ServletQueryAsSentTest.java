package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet may read its query as sent ({@code getQueryString()}, a link built from the request URL), which the
 * filter cannot see: its entries are keyed on the query byte for byte, so another spelling or order of the same
 * parameters is another request. Evicting a URL still reaches every spelling of it.
 */
class ServletQueryAsSentTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        server.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new QueryServlet()), "/page");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void anotherOrderOrSpellingOfTheQueryGetsTheServletsOwnAnswer() {
        assertEquals("query as sent: a=1&b=2", server.getText("/page?a=1&b=2").body());
        assertEquals("HIT", cache(server.getText("/page?a=1&b=2")));
        HttpResponse<String> reordered = server.getText("/page?b=2&a=1");
        assertEquals("query as sent: b=2&a=1", reordered.body(), "X-Cache: " + cache(reordered));
        server.getText("/page?q=a%20b");
        HttpResponse<String> plus = server.getText("/page?q=a+b");
        assertEquals("query as sent: q=a+b", plus.body(), "X-Cache: " + cache(plus));
    }

    @Test
    void evictingAUrlReachesEverySpellingOfIt() {
        server.getText("/page?a=1&b=2");
        server.getText("/page?b=2&a=%31");
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        assertEquals(2, invalidator.evictRequest(URI.create("/page?a=1&b=2")));
        assertEquals("MISS", cache(server.getText("/page?b=2&a=%31")));
    }

    private static final class QueryServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("query as sent: " + request.getQueryString());
        }
    }
}
