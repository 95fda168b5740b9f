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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The servlet filter tells downstream caches what it keys on, merged with the servlet's own Vary. */
class ServletDownstreamVaryTest {

    private final AtomicInteger calls = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "60");
        filter.setInitParameter("varyBy", "header:Accept-Language, cookie:lang");
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.addHeader("Vary", "Origin");
                response.addHeader("Vary", "accept-language");
                response.getWriter().print("page " + calls.incrementAndGet());
            }
        }), "/page");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servletEntryKeyedOnRequestHeadersIsSentWithVaryNamingThemOnMissAndHit() {
        HttpResponse<String> miss = server.getText("/page", "Accept-Language", "de", "Cookie", "lang=de; t=1");
        HttpResponse<String> hit = server.getText("/page", "Accept-Language", "de", "Cookie", "lang=de; t=2");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of("Origin, accept-language, Accept, Cookie"), miss.headers().allValues("Vary"));
        assertEquals(miss.headers().allValues("Vary"), hit.headers().allValues("Vary"));
        assertEquals(1, calls.get());
    }
}
