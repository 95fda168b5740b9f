package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both containers refuse {@code setBufferSize} once any content was written ({@code IllegalStateException}), committed
 * or not, and accept it again after {@code resetBuffer()}. The cache holds the body back, so the container had been
 * given nothing and took the new size: a servlet that falls back when refused answered differently on the miss (and
 * the hit) than alone, and one that does not fall back answered 200, stored, where alone it fails.
 */
class BufferSizeSetAfterContentIsRefusedAsTheContainerRefusesItTest {

    /** Writes a little ({@code ?with=stream|writer}, then resets the buffer if asked), then tries to resize. */
    static final class ResizingServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            if ("stream".equals(request.getParameter("with"))) {
                response.getOutputStream().write("hello".getBytes());
            } else {
                response.getWriter().write("hello");
            }
            if (request.getParameter("reset") != null) {
                response.resetBuffer();
            }
            String resized;
            try {
                response.setBufferSize(65536);
                resized = "yes";
            } catch (IllegalStateException refused) {
                resized = "refused";
            }
            response.setHeader("X-Resized", resized);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                        "with=stream", "with=writer", "with=stream&reset=1", "with=writer&reset=1")
                .map(query -> Arguments.of(container, query)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theMissAndTheHitAreRefusedTheSizeExactlyWhenTheContainerRefusesIt(Container container, String query) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", new ResizingServlet(), "/cached/*")
                .servlet("plain", new ResizingServlet(), "/plain/*"))) {
            HttpResponse<String> alone = app.get("/plain/a?" + query);
            HttpResponse<String> miss = app.get("/cached/a?" + query);
            HttpResponse<String> hit = app.get("/cached/a?" + query);
            for (HttpResponse<String> cached : List.of(miss, hit)) {
                assertEquals(alone.statusCode(), cached.statusCode());
                assertEquals(alone.body(), cached.body());
                assertEquals(alone.headers().allValues("X-Resized"), cached.headers().allValues("X-Resized"));
            }
            assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"));
        }
    }
}
