package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Range requests on a stored 200 are answered from the entry by the servlet filter (RFC 9110 section 14). */
class ServletRangeRequestsTest {

    private static final String BODY = "0123456789abcdefghij";

    private final AtomicInteger calls = new AtomicInteger();
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
                calls.incrementAndGet();
                String range = request.getHeader("Range");
                response.setContentType("text/plain");
                response.setHeader("ETag", "\"v1\"");
                if (range != null && range.equals("bytes=0-1")) {
                    // What a servlet that cuts ranges itself answers: must never become the entry.
                    response.setStatus(206);
                    response.setHeader("Content-Range", "bytes 0-1/" + BODY.length());
                    response.getOutputStream().write(BODY.substring(0, 2).getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                response.getOutputStream().write(BODY.getBytes(StandardCharsets.US_ASCII));
            }
        }), "/text");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void rangeOnAStored200IsAnswered206WithContentRangeFromTheEntry() {
        server.getText("/text");
        HttpResponse<String> part = server.getText("/text", "Range", "bytes=3-6");
        assertEquals(206, part.statusCode());
        assertEquals("3456", part.body());
        assertEquals("bytes 3-6/20", part.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("4", part.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("HIT", part.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("\"v1\"", part.headers().firstValue("ETag").orElseThrow());
        assertEquals("ghij", server.getText("/text", "Range", "bytes=-4").body());
        assertEquals(1, calls.get());
    }

    @Test
    void unsatisfiableRangeIs416WithTheCurrentLength() {
        server.getText("/text");
        HttpResponse<String> refused = server.getText("/text", "Range", "bytes=20-");
        assertEquals(416, refused.statusCode());
        assertEquals("bytes */20", refused.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("", refused.body());
    }

    @Test
    void ifRangeAndSeveralRangesGoToTheServlet() {
        server.getText("/text");
        for (String[] headers : new String[][] {{"Range", "bytes=3-6", "If-Range", "\"v0\""},
                {"Range", "bytes=3-6", "If-Range", "\"v1\""}, {"Range", "bytes=0-1,4-5"}}) {
            HttpResponse<String> left = server.getText("/text", headers);
            assertEquals(200, left.statusCode(), "this servlet cuts no such range");
            assertEquals(BODY, left.body());
        }
        assertEquals(4, calls.get());
    }

    @Test
    void rangeRequestThatMissesGoesToTheServletAndItsPartialAnswerIsNeverStored() {
        HttpResponse<String> partial = server.getText("/text", "Range", "bytes=0-1");
        assertEquals(206, partial.statusCode());
        assertEquals("01", partial.body());
        HttpResponse<String> whole = server.getText("/text");
        assertEquals(200, whole.statusCode());
        assertEquals(BODY, whole.body());
        assertFalse("HIT".equals(whole.headers().firstValue("X-Cache").orElse("")));
        assertEquals(2, calls.get());
    }
}
