package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Servlet containers route {@code /items/1;view=short} to the servlet of {@code /items/1} (path parameters are not
 * part of the servlet path or path info): an unsafe request to either URL evicts the entries of both, which keep
 * their own keys.
 */
class ServletMatrixParameterEvictionTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** GET shows the item with the request URI it was asked at; PUT renames it. */
    private static final class ItemServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> names = new ConcurrentHashMap<>(Map.of("1", "old", "2", "old"));

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print(request.getRequestURI() + ": " + names.get(request.getPathInfo().substring(1)));
        }

        @Override
        protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
            names.put(request.getPathInfo().substring(1),
                    new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            response.setStatus(204);
        }
    }

    private static Container.Running start(Container container) {
        return container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/items/*", "ttl", "600")
                .servlet("items", new ItemServlet(), "/items/*"));
    }

    private void put(Container.Running app, String path, String body) {
        try {
            HttpResponse<String> updated = client.send(HttpRequest.newBuilder(app.uri(path))
                    .timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, updated.statusCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String described(HttpResponse<String> response) {
        return response.body() + " (X-Cache: " + response.headers().firstValue("X-Cache").orElse("none") + ")";
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void unsafeRequestToAServletPathEvictsTheEntriesOfItsPathParameterUrls(Container container) {
        try (Container.Running app = start(container)) {
            assertEquals("/items/1;view=short: old (X-Cache: MISS)", described(app.get("/items/1;view=short")));
            assertEquals("/items/1;view=long: old (X-Cache: MISS)", described(app.get("/items/1;view=long")));
            assertEquals("/items/1;view=short: old (X-Cache: HIT)", described(app.get("/items/1;view=short")));
            put(app, "/items/1", "new");
            assertEquals("/items/1;view=short: new (X-Cache: MISS)", described(app.get("/items/1;view=short")));
            assertEquals("/items/1;view=long: new (X-Cache: MISS)", described(app.get("/items/1;view=long")));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void unsafeRequestToAPathParameterUrlEvictsTheEntriesOfThePlainPath(Container container) {
        try (Container.Running app = start(container)) {
            assertEquals("/items/2: old (X-Cache: MISS)", described(app.get("/items/2")));
            put(app, "/items/2;view=short", "new");
            assertEquals("/items/2: new (X-Cache: MISS)", described(app.get("/items/2")));
        }
    }
}
