package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.H2cClient;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet reading the content of an HTTP/2 GET (no Content-Length) through the container's parsing, past any
 * wrapper's stream: the parts of a multipart request, the parameters of a form. The answer to that content was
 * stored and answered every later request of the URL.
 */
class Http2MultipartAndFormGetTest {

    private static final String MULTIPART =
            "--XX\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nsecret\r\n--XX--\r\n";

    private TestServer server;
    private H2cClient client;

    private static final class PartServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.setContentType("text/plain");
            Part part = request.getPart("q");
            response.getWriter().print("part '"
                    + (part == null ? "" : new String(part.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    + "'");
        }
    }

    private static final class FormServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("form '" + request.getParameter("q") + "'");
        }
    }

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(new ResponseCacheFilter());
        filter.setInitParameter("ttl", "600");
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder parts = new ServletHolder(new PartServlet());
        parts.getRegistration().setMultipartConfig(new MultipartConfigElement(""));
        server.context().addServlet(parts, "/part");
        server.context().addServlet(new ServletHolder(new FormServlet()), "/form");
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
    void multipartPartsOfAnHttp2GetReadByTheContainerAreNeverStoredToAnswerOtherRequests() {
        for (int i = 0; i < 2; i++) {
            assertEquals("part 'secret' (ResponseCache; fwd=uri-miss; detail=request-body)",
                    described(client.send("GET", server.port(), "/part", MULTIPART,
                            "Content-Type", "multipart/form-data; boundary=XX")));
        }
    }

    @Test
    void formParametersOfAnHttp2GetAreNeverStoredToAnswerOtherRequests() {
        // Jetty parses no form on a GET by default (Tomcat may: parseBodyMethods), so the parameter is the query's;
        // a form's content type alone refuses, as the container could have read the content.
        assertEquals("form 'null' (ResponseCache; fwd=uri-miss; detail=request-body)",
                described(client.send("GET", server.port(), "/form", "q=secret",
                        "Content-Type", "application/x-www-form-urlencoded")));
        assertEquals("form 'null' (ResponseCache; fwd=uri-miss)",
                described(client.send("GET", server.port(), "/form", null)));
        assertEquals("form 'null'", client.send("GET", server.port(), "/form", null).body());
    }
}
