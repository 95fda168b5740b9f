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
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On Jetty's own request the lookup first asks whether any precondition it reads is there at all, from the one pass
 * over the request's fields, before it reads each: a name Jetty knows ({@code If-Match}) is found by its bit, one it
 * does not ({@code If}, WebDAV's) among the fields Jetty does not name. Either way, and in any case of the name, the
 * request still goes to the servlet, its entry left alone; a request with none of them, but with a field Jetty does
 * not name, is still the hit.
 */
class PreconditionsAskedAtOnceOnJettysRequestTest {

    private final AtomicInteger served = new AtomicInteger();
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
                served.incrementAndGet();
                response.setContentType("text/plain");
                response.setHeader("ETag", "\"v1\"");
                response.setHeader("Last-Modified", "Wed, 01 Jan 2020 00:00:00 GMT");
                response.getOutputStream().write("document".getBytes(StandardCharsets.US_ASCII));
            }
        }), "/document");
        server.start();
        server.getText("/document");
        assertEquals("HIT", server.getText("/document", "X-Unnamed-By-Jetty", "1").headers().firstValue("X-Cache")
                .orElse("none"));
        served.set(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "If-Match | \"v1\"",
        "if-match | \"v1\"",
        "If-Unmodified-Since | Wed, 01 Jan 2020 00:00:00 GMT",
        "If | (<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>)",
        "IF | (<urn:uuid:181d4fae-7d8c-11d0-a765-00a0c91e6bf2>)",
        "If-Modified-Since | 01 Jan 2020 00:00:00 GMT",
        "If-None-Match | v1",
    })
    void requestCarryingAPreconditionTheCacheLeavesToTheServletReachesIt(String name, String value) {
        HttpResponse<String> answer = server.getText("/document", name, value);

        assertEquals(1, served.get(), name + ": " + value + " answered with X-Cache: "
                + answer.headers().firstValue("X-Cache").orElse("none"));
    }
}
