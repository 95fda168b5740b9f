package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A servlet answering a GET from its body: the filter neither answers such a request from its URL's entry nor stores. */
class ServletGetWithContentTest {

    private final AtomicInteger calls = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        server.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new SearchServlet()), "/search");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> search(String query) {
        return server.send(server.request("/search").header("Content-Type", "text/plain")
                .method("GET", HttpRequest.BodyPublishers.ofString(query)).build());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void getsWithDifferentContentDoNotShareAnEntryNorTakeTheUrlsOwn() {
        assertEquals("results for ", text(server.get("/search")));
        assertEquals("HIT", server.get("/search").headers().firstValue("X-Cache").orElse("none"));
        assertEquals(1, calls.get());
        assertEquals("results for apples", text(search("apples")));
        HttpResponse<byte[]> pears = search("pears");
        assertEquals("results for pears", text(pears), "X-Cache: " + pears.headers().firstValue("X-Cache")
                .orElse("none"));
        assertEquals(3, calls.get());
        assertEquals("results for ", text(server.get("/search")), "a GET with content stored nothing");
        assertEquals(3, calls.get());
    }

    private final class SearchServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            String query = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            response.setContentType("text/plain");
            response.getWriter().write("results for " + query);
        }
    }
}
