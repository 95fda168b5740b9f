package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A filter in front of a {@code ttl=headers} cache gives every response its lifetime
 * ({@code Cache-Control: max-age=60}) before the chain; the servlet sets none. The entry holds what the application
 * added, without the lines set in front, and the header-driven mode refuses it ({@code no-lifetime}); the miss's
 * {@code Cache-Status} was judged on every line the client gets, the one set in front among them, and showed a bare
 * {@code fwd=uri-miss}: a miss that says it was stored, and every request another miss.
 */
class LifetimeSetInFrontShowedStoredButWasNotTest {

    static final class Front implements Filter {
        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            if (request.getHeader("X-Front-Lifetime") != null) {
                response.setHeader("Cache-Control", "max-age=60");
            }
            if (request.getHeader("X-Front-Vary") != null) {
                // As a CORS filter does: the cache merges its own names into this line.
                response.addHeader("Vary", "Origin");
            }
            chain.doFilter(req, res);
        }
    }

    static final class Silent extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getOutputStream().write("silent".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Container.Running start(Container container) {
        return container.start(new ServletApp()
                .filter("front", new Front(), "/*")
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("silent", new Silent(), "/h/*"));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aMissWithoutADetailIsStored(Container container) {
        try (Container.Running app = start(container)) {
            for (String path : new String[] {"/h/lifetime", "/h/lifetime-and-vary"}) {
                String[] front = path.endsWith("vary") ? new String[] {"X-Front-Lifetime", "1", "X-Front-Vary", "1"}
                        : new String[] {"X-Front-Lifetime", "1"};
                HttpResponse<String> miss = app.get(path, front);
                assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow(), path);
                String shown = miss.headers().firstValue("Cache-Status").orElseThrow();
                String next = app.get(path, front).headers().firstValue("X-Cache").orElseThrow();
                // Either answer is consistent; a bare fwd=uri-miss followed by another miss is not.
                assertEquals(shown.equals("ResponseCache; fwd=uri-miss") ? "HIT" : "MISS", next,
                        path + ": miss showed " + shown);
            }
        }
    }

    /** A Vary set in front, which the cache merges its names into, leaves the application's lines to judge. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void aVarySetInFrontKeepsTheDetail(Container container) {
        try (Container.Running app = start(container)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> miss = app.get("/h/varied", "X-Front-Vary", "1");
                assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
                assertEquals("ResponseCache; fwd=uri-miss; detail=no-lifetime",
                        miss.headers().firstValue("Cache-Status").orElseThrow());
            }
        }
    }
}
