package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet that began its body on the output stream, then resets the response (its rendering failed, say) and
 * writes the page it sends instead with the writer, as the servlet API allows after {@code reset()}: the client gets
 * that page once, as without the cache, and so does the next client from the entry.
 */
class ResetFromStreamToWriterTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "60");
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("application/octet-stream");
                response.getOutputStream().write("half a report".getBytes(StandardCharsets.US_ASCII));
                response.reset();
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write("the page sent instead");
            }
        }), "/report");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pageWrittenWithTheWriterAfterAResetOfTheStreamIsSentOnce() {
        HttpResponse<String> miss = server.getText("/report");
        assertEquals("the page sent instead", miss.body());
        HttpResponse<String> hit = server.getText("/report");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("the page sent instead", hit.body());
    }
}
