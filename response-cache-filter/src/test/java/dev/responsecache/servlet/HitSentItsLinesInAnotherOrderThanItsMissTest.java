package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.RawHttp;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The servlet filter's miss sets the status header and {@code Cache-Status}, then the {@code Vary}, before the servlet
 * runs; its hit sent the {@code Vary} first, the stored lines, then the status header and {@code Cache-Status} last.
 * A hit now sends every line its miss sent in the miss's order (its {@code ETag} and {@code Age}, which the miss does
 * not send, among them), on Jetty's own fields, through the servlet API and on Tomcat.
 */
class HitSentItsLinesInAnotherOrderThanItsMissTest {

    static final class Page extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setHeader("Cache-Control", "max-age=60");
            response.addHeader("Vary", "Origin");
            response.setHeader("X-Page", "1");
            response.getOutputStream().write("page".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Wraps the response when asked ({@code X-Path: generic}), so that a hit on Jetty goes through the servlet API. */
    static final class Front implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            boolean generic = "generic".equals(((HttpServletRequest) req).getHeader("X-Path"));
            chain.doFilter(req, generic ? new HttpServletResponseWrapper((HttpServletResponse) res) : res);
        }
    }

    @ParameterizedTest
    @CsvSource({"JETTY, /plain/a, direct", "JETTY, /plain/b, generic", "JETTY, /varied/a, direct",
        "JETTY, /varied/b, generic", "TOMCAT, /plain/a, direct", "TOMCAT, /varied/a, direct"})
    void hitSendsTheLinesOfItsMissInTheMissOrder(Container container, String path, String way) throws IOException {
        try (Container.Running app = container.start(new ServletApp()
                .filter("front", new Front(), "/*")
                .filter("plain", new ResponseCacheFilter(), "/plain/*", "ttl", "60")
                .filter("varied", new ResponseCacheFilter(), "/varied/*", "ttl", "60",
                        "varyBy", "header:Accept-Language")
                .servlet("page", new Page(), "/*"))) {
            int port = app.uri("/").getPort();
            List<String> miss = names(raw(port, path, way));
            List<String> hit = names(raw(port, path, way));
            assertTrue(miss.contains("x-cache") && miss.contains("cache-status") && miss.contains("vary"),
                    miss.toString());
            assertTrue(hit.contains("etag") && hit.contains("age"), hit.toString());
            List<String> sentByTheMiss = new ArrayList<>(hit);
            sentByTheMiss.retainAll(miss);
            assertEquals(miss, sentByTheMiss, "hit " + hit);
        }
    }

    /** The names of the response's header lines, in order, in lower case (Tomcat writes some its own way). */
    private static List<String> names(String response) {
        List<String> names = new ArrayList<>();
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            names.add(lines[i].substring(0, lines[i].indexOf(':')).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static String raw(int port, String path, String way) throws IOException {
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1", "Accept-Language: fr", "X-Path: " + way);
    }
}
