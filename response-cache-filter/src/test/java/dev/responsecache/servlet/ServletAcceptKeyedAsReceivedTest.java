package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/**
 * A servlet reads the {@code Accept} header's text itself, and may tell apart any two values: the servlet filter
 * keys the header exactly as received. It keyed it with every space removed, and an absent header as
 * {@code *}{@code /*}: a servlet answering a client without {@code Accept} differently from one asking for
 * {@code *}{@code /*} (or one that reads the header's spaces) gave the first one's page to the other.
 */
class ServletAcceptKeyedAsReceivedTest {

    /** Answers with the header as it reads it. */
    static final class EchoAccept extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("accept=" + request.getHeader("Accept"));
        }
    }

    @Test
    void acceptValuesTheServletTellsApartAreNotOneEntry() {
        TestServer server = TestServer.servlets();
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        server.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new EchoAccept()), "/echo");
        try (TestServer started = server.start()) {
            assertEquals("accept=null", started.getText("/echo").body());
            assertAnswered(started, "accept=*/*", "*/*");
            assertAnswered(started, "accept=text/html, text/plain", "text/html, text/plain");
            assertAnswered(started, "accept=text/html,text/plain", "text/html,text/plain");
            HttpResponse<String> hit = started.getText("/echo", "Accept", "text/html, text/plain");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("accept=text/html, text/plain", hit.body());
        }
    }

    private static void assertAnswered(TestServer server, String expected, String accept) {
        HttpResponse<String> response = server.getText("/echo", "Accept", accept);
        assertEquals(expected, response.body(), "X-Cache: " + response.headers().firstValue("X-Cache").orElse("none"));
    }
}
