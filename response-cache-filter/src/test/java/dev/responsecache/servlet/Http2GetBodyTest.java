package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.H2cClient;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET requests with content over HTTP/2 (h2c on Jetty): framed by DATA frames, with or without a
 * {@code Content-Length}. Without one, nothing before the servlet reads tells the request has content: the response
 * to it is not stored, so it never answers another request (a search by body answered everyone its results).
 */
class Http2GetBodyTest {

    private TestServer server;
    private H2cClient client;

    /** A search that takes its query from the request body, as some APIs do. */
    private static final class SearchServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("results for '"
                    + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8) + "'");
        }
    }

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(new ResponseCacheFilter());
        filter.setInitParameter("ttl", "600");
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new SearchServlet()), "/search");
        server.http2Cleartext().start();
        client = new H2cClient(server.port());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private String described(H2cClient.Response response) {
        return response.body() + " (" + response.header("Cache-Status") + ")";
    }

    @Test
    void getWithContentLengthAndBodyOverHttp2Bypasses() {
        assertEquals("results for 'a' (ResponseCache; fwd=bypass; detail=request-body)",
                described(client.send("GET", server.port(), "/search", "a", "Content-Length", "1")));
    }

    @Test
    void getContentWithoutContentLengthOverHttp2IsNeverStoredToAnswerOtherRequests() {
        assertEquals("results for 'a' (ResponseCache; fwd=uri-miss; detail=request-body)",
                described(client.send("GET", server.port(), "/search", "a")));
        assertEquals("results for 'b' (ResponseCache; fwd=uri-miss; detail=request-body)",
                described(client.send("GET", server.port(), "/search", "b")));
        assertEquals("results for '' (ResponseCache; fwd=uri-miss)",
                described(client.send("GET", server.port(), "/search", null)));
        H2cClient.Response hit = client.send("GET", server.port(), "/search", null);
        assertEquals("results for ''", hit.body());
        assertTrue(hit.header("Cache-Status").startsWith("ResponseCache; hit"), hit.header("Cache-Status"));
    }
}
