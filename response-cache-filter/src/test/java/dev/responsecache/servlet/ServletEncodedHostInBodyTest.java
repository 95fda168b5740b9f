package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet side of {@code jaxrs.EncodedHostInBodyTest}: a login link carrying {@code getRequestURL()}
 * percent-encoded, and a relative {@code Location} carrying it in its query, name the request's host; a request with
 * {@code Host: evil.example} must not choose them for every visitor.
 */
class ServletEncodedHostInBodyTest {

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
                String next = URLEncoder.encode(request.getRequestURL().toString(), StandardCharsets.UTF_8);
                if (request.getRequestURI().endsWith("/moved")) {
                    response.setStatus(301);
                    response.setHeader("Location", "/login?next=" + next);
                    return;
                }
                response.setContentType("text/html");
                response.getOutputStream().write(("<a href=\"/login?next=" + next + "\">log in</a>")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }), "/*");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pageWithThePercentEncodedRequestUrlIsNotServedToAnotherHost() {
        server.getText("/page", "Host", "evil.example");
        HttpResponse<String> visitor = server.getText("/page", "Host", "shop.example");
        assertEquals("<a href=\"/login?next=http%3A%2F%2Fshop.example%2Fpage\">log in</a>", visitor.body(),
                "X-Cache: " + visitor.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("HIT", xCache(server.getText("/page", "Host", "shop.example")), "stored, for its host");
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void relativeLocationWithThePercentEncodedRequestUrlIsNotServedToAnotherHost() {
        server.getText("/moved", "Host", "evil.example");
        HttpResponse<String> visitor = server.getText("/moved", "Host", "shop.example");
        assertEquals("/login?next=http%3A%2F%2Fshop.example%2Fmoved",
                visitor.headers().firstValue("Location").orElseThrow(),
                "X-Cache: " + visitor.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("HIT", xCache(server.getText("/moved", "Host", "shop.example")), "stored, for its host");
    }
}
