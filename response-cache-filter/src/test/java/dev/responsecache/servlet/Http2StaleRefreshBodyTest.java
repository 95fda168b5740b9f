package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.H2cClient;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/**
 * A GET with content over HTTP/2 (no Content-Length) answered stale: the refresh after the answer runs the same
 * request, content included, and stored the answer to that content for every later request of the URL. The refresh
 * watches the content as a miss does, in both refresh modes (the servlet runs again, or revalidates by headers).
 */
class Http2StaleRefreshBodyTest {

    /** A search that takes its query from the request body, as some APIs do. */
    private static final class SearchServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            // Read by the header-driven mode only.
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            response.getWriter().print("results for '"
                    + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8) + "'");
        }
    }

    @Test
    void refreshAfterAStaleAnswerToAnHttp2GetWithContentNeverStoresTheAnswerToThatContent() {
        refreshNeverStoresTheAnswerToTheContent(false);
    }

    @Test
    void backgroundRevalidationAfterAStaleAnswerToAnHttp2GetWithContentNeverStoresTheAnswerToThatContent() {
        refreshNeverStoresTheAnswerToTheContent(true);
    }

    private static void refreshNeverStoresTheAnswerToTheContent(boolean byHeaders) {
        MutableClock clock = new MutableClock();
        TestServer server = TestServer.servlets();
        server.context().setAttribute(ResponseCacheProperties.CLOCK, clock);
        FilterHolder filter = new FilterHolder(new ResponseCacheFilter());
        if (byHeaders) {
            filter.setInitParameter("ttl", "headers");
        } else {
            filter.setInitParameter("ttl", "60");
            filter.setInitParameter("staleWhileRevalidate", "30");
        }
        server.context().addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new SearchServlet()), "/search");
        server.http2Cleartext().start();
        try (server; H2cClient client = new H2cClient(server.port())) {
            assertEquals("results for ''", client.send("GET", server.port(), "/search", null).body());
            clock.advance(Duration.ofSeconds(70));
            H2cClient.Response stale = client.send("GET", server.port(), "/search", "secret");
            assertEquals("results for ''", stale.body());
            // Until a refresh stores, every answer is the stale entry; the refresh with the content must not store
            // its answer, so the first fresh hit holds the answer to a request without content.
            List<String> answers = new ArrayList<>();
            Eventually.until(() -> {
                H2cClient.Response next = client.send("GET", server.port(), "/search", null);
                answers.add(next.body());
                return next.header("Cache-Status").startsWith("ResponseCache; hit");
            }, Duration.ofSeconds(30), () -> "no fresh hit: " + answers);
            assertEquals(List.of("results for ''"), answers.stream().distinct().toList());
        }
    }
}
