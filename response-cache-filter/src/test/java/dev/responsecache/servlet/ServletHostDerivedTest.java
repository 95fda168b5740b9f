package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A servlet response that names the request's host is not served to a request sent to another host. */
class ServletHostDerivedTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "60");
        filter.setInitParameter("statuses", "200,308");
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                response.setStatus(308);
                response.setHeader("Location", request.getRequestURL().toString().replace("/moved", "/target"));
            }
        }), "/moved");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servletRedirectBuiltFromTheRequestUrlIsNotServedToAnotherHost() {
        server.getText("/moved", "Host", "evil.example");
        HttpResponse<String> visitor = server.getText("/moved", "Host", "good.example");
        assertEquals("MISS", visitor.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("http://good.example/target", visitor.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> next = server.getText("/moved", "Host", "good.example");
        assertEquals("HIT", next.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("http://good.example/target", next.headers().firstValue("Location").orElseThrow());
    }
}
