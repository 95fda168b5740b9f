package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
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
 * Closing the servlet's output stream ends the body: bytes written after it are refused by the container (the
 * servlet here swallows the error, as careless code does) and never reach the client. Through the filter, whose
 * stream holds the body until it is stored, they must not either, on the miss or from the entry.
 */
class WriteAfterCloseTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "60");
        server.context().addFilter(filter, "/cached/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder page = new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                ServletOutputStream out = response.getOutputStream();
                out.write("the page".getBytes(StandardCharsets.US_ASCII));
                out.close();
                try {
                    out.write(" and what came after the close".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // Swallowed: the page is complete anyway.
                }
            }
        });
        server.context().addServlet(page, "/cached/page");
        server.context().addServlet(page, "/plain/page");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withoutTheCacheTheClientGetsThePageAsClosed() {
        assertEquals("the page", server.getText("/plain/page").body());
    }

    @Test
    void bytesWrittenAfterTheStreamWasClosedReachNeitherTheMissNorTheEntry() {
        assertEquals("the page", server.getText("/cached/page").body());
        HttpResponse<String> hit = server.getText("/cached/page");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("the page", hit.body());
    }
}
