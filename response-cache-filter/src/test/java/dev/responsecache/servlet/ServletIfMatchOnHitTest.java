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
 * A download resumed with {@code Range} and the {@code If-Match} of the version it began with (RFC 9110 13.1.1): the
 * servlet answers 412 when that version is gone, and the client starts over. RFC 9111 4.3.2: a cache must not
 * evaluate {@code If-Match} itself; answering the range from the entry hands the client part of another version, which
 * it splices onto the bytes of the old one.
 */
class ServletIfMatchOnHitTest {

    private static final String BODY = "version 2 of the document";

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
                String ifMatch = request.getHeader("If-Match");
                if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.contains("\"v2\"")) {
                    response.setStatus(412);
                    return;
                }
                response.setContentType("text/plain");
                response.setHeader("ETag", "\"v2\"");
                response.getOutputStream().write(BODY.getBytes(StandardCharsets.US_ASCII));
            }
        }), "/document");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void resumedRangeWhoseIfMatchNamesAnOlderVersionIsPreconditionFailedNotPartOfTheCurrentOne() {
        assertEquals(BODY, server.getText("/document").body());
        assertEquals("HIT", server.getText("/document").headers().firstValue("X-Cache").orElse("none"));

        HttpResponse<String> resumed = server.getText("/document", "Range", "bytes=10-", "If-Match", "\"v1\"");
        assertEquals(412, resumed.statusCode(), "X-Cache: " + resumed.headers().firstValue("X-Cache").orElse("none")
                + ", body: " + resumed.body());
    }
}
