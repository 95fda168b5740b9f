package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A body written past the response's buffer commits the response: the container sends the status and headers and
 * ignores a status or header set after. The cache holds such a body (it is under the body size limit), so a late
 * status reached the client with the whole page, and a late header was stored for every hit.
 */
class StatusSetAfterTheBufferOverflowedTest {

    static final class LargePageServlet extends HttpServlet {
        final List<Boolean> committed = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            byte[] line = "a line of the large page\n".getBytes(StandardCharsets.UTF_8);
            int lines = 4 * response.getBufferSize() / line.length + 1;
            for (int i = 0; i < lines; i++) {
                response.getOutputStream().write(line);
            }
            committed.add(response.isCommitted());
            response.setHeader("X-Late", "set after the buffer overflowed");
            response.setStatus(503);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void statusAndHeadersSetAfterTheBufferOverflowedAreIgnoredOnTheMissAndTheHit(Container container) {
        LargePageServlet servlet = new LargePageServlet();
        LargePageServlet plain = new LargePageServlet();
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", servlet, "/cached/*")
                .servlet("plain", plain, "/plain/*"))) {
            HttpResponse<String> alone = app.get("/plain/a");
            HttpResponse<String> miss = app.get("/cached/a");
            HttpResponse<String> next = app.get("/cached/a");
            for (HttpResponse<String> cached : List.of(miss, next)) {
                assertEquals(alone.statusCode(), cached.statusCode());
                assertEquals(alone.body(), cached.body());
                assertEquals(alone.headers().allValues("X-Late"), cached.headers().allValues("X-Late"));
            }
            assertEquals(plain.committed, servlet.committed.subList(0, 1), "committed after the body, as alone");
        }
    }
}
