package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The header-driven mode on the servlet filter: a body that outgrows {@code max-body-size} without a declared length,
 * while the container has not sent the header lines, says {@code detail=too-large}, whether the lines gave the
 * response a lifetime or not (the reason they gave before, {@code no-lifetime}, is replaced, as on JAX-RS), and the
 * whole body is sent.
 */
class HeaderDrivenBodyPastTheLimitShowsTooLargeTest {

    private static final int CHUNKS = 40;
    private static final int CHUNK = 100;

    @ParameterizedTest
    @EnumSource(Container.class)
    void bodyPastTheLimitSaysTooLargeWithOrWithoutALifetime(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .contextParam("responsecache.max-body-size", "1024")
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("origin", new Origin(), "/h/*"))) {
            for (String path : new String[] {"/h/no-lifetime", "/h/lifetime"}) {
                for (int request = 0; request < 2; request++) {
                    HttpResponse<String> miss = app.get(path);
                    assertEquals("ResponseCache; fwd=uri-miss; detail=too-large",
                            miss.headers().firstValue("Cache-Status").orElse("none"), path);
                    assertEquals(CHUNKS * CHUNK, miss.body().length(), path);
                }
            }
        }
    }

    private static final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getPathInfo().equals("/lifetime")) {
                response.setHeader("Cache-Control", "max-age=60");
            }
            for (int i = 0; i < CHUNKS; i++) {
                response.getOutputStream().write(new byte[CHUNK]);
            }
        }
    }
}
