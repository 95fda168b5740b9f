package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet that answers {@code /items/1/} as {@code /items/1} (as JAX-RS runtimes do, and many servlets that strip
 * the slash): the filter's {@code tagPath} {@code /items/{id}} did not match the trailing slash, so that entry carried
 * no {@code item:1} tag and evicting the tag left it answering the old item.
 */
class ServletTagPathTrailingSlashTest {

    private final Map<String, String> names = new ConcurrentHashMap<>(Map.of("1", "old"));
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "600");
        filter.setInitParameter("tags", "item:{id}");
        filter.setInitParameter("tagPath", "/items/{id}");
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String id = request.getPathInfo().replace("/", "");
                response.setContentType("text/plain");
                response.getWriter().print("item " + id + ": " + names.get(id));
            }
        }), "/items/*");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void tagOfAPathPatternReachesTheEntryOfItsPathWithATrailingSlash() {
        for (String path : new String[] {"/items/1", "/items/1/"}) {
            assertEquals("item 1: old", server.getText(path).body());
            assertEquals("HIT", server.getText(path).headers().firstValue("X-Cache").orElse("none"), path);
        }
        names.put("1", "new");
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        invalidator.evictTags("item:1");
        for (String path : new String[] {"/items/1", "/items/1/"}) {
            HttpResponse<String> after = server.getText(path);
            assertEquals("item 1: new", after.body(),
                    path + ": X-Cache " + after.headers().firstValue("X-Cache").orElse("none"));
        }
    }
}
