package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.H2cClient;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * JAX-RS GETs whose content (HTTP/2, no Content-Length) is read where the watch of the entity stream alone did not
 * see it: by the stale-while-revalidate refresh, through the servlet request, or by a {@code StreamingOutput} as it
 * writes. Each stored the answer to that content for every later request of the URL.
 */
class Http2ContentPastTheEntityStreamTest {

    private static String described(H2cClient.Response response) {
        return response.body() + " (" + response.header("Cache-Status") + ")";
    }

    @Path("")
    public static final class Search {
        @GET
        @Path("entity")
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String entity(String query) {
            return "results for '" + query + "'";
        }

        @GET
        @Path("servlet")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String servlet(@Context HttpServletRequest request) throws IOException {
            return "results for '" + new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    + "'";
        }

        @GET
        @Path("streamed")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public StreamingOutput streamed(InputStream content) {
            return out -> {
                out.write("results for '".getBytes(StandardCharsets.UTF_8));
                out.write(content.readAllBytes());
                out.write('\'');
            };
        }
    }

    private static TestServer started(ResourceConfig app, boolean initializer) {
        TestServer server = TestServer.jersey(app);
        if (initializer) {
            server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        }
        return server.http2Cleartext().start();
    }

    @Test
    void refreshAfterAStaleAnswerToAnHttp2GetWithContentNeverStoresTheAnswerToThatContent() {
        MutableClock clock = new MutableClock();
        ResourceConfig app = new ResourceConfig().register(new Search()).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock);
        try (TestServer server = started(app, true); H2cClient client = new H2cClient(server.port())) {
            assertEquals("results for ''", client.send("GET", server.port(), "/api/entity", null).body());
            clock.advance(Duration.ofSeconds(70));
            assertEquals("results for ''", client.send("GET", server.port(), "/api/entity", "secret").body());
            // Until a refresh stores, every answer is the stale entry; the refresh with the content must not store
            // its answer, so the first fresh hit holds the answer to a request without content.
            List<String> answers = new ArrayList<>();
            Eventually.until(() -> {
                H2cClient.Response next = client.send("GET", server.port(), "/api/entity", null);
                answers.add(next.body());
                return next.header("Cache-Status").startsWith("ResponseCache; hit");
            }, Duration.ofSeconds(30), () -> "no fresh hit: " + answers);
            assertEquals(List.of("results for ''"), answers.stream().distinct().toList());
        }
    }

    @Test
    void http2ContentReadThroughTheServletRequestIsNeverStoredToAnswerOtherRequests() {
        ResourceConfig app = new ResourceConfig().register(new Search()).register(ResponseCacheFeature.class);
        try (TestServer server = started(app, true); H2cClient client = new H2cClient(server.port())) {
            assertEquals("results for 'secret' (ResponseCache; fwd=uri-miss; detail=request-body)",
                    described(client.send("GET", server.port(), "/api/servlet", "secret")));
            assertEquals("results for '' (ResponseCache; fwd=uri-miss)",
                    described(client.send("GET", server.port(), "/api/servlet", null)));
            assertEquals("results for ''", client.send("GET", server.port(), "/api/servlet", null).body());
        }
    }

    @Test
    void http2ContentReadByAStreamingOutputAsItWritesIsNeverStoredToAnswerOtherRequests() {
        ResourceConfig app = new ResourceConfig().register(new Search()).register(ResponseCacheFeature.class);
        try (TestServer server = started(app, false); H2cClient client = new H2cClient(server.port())) {
            assertEquals("results for 'secret'",
                    client.send("GET", server.port(), "/api/streamed", "secret").body());
            assertEquals("results for ''", client.send("GET", server.port(), "/api/streamed", null).body());
            H2cClient.Response hit = client.send("GET", server.port(), "/api/streamed", null);
            assertEquals("results for ''", hit.body());
            assertEquals(true, hit.header("Cache-Status").startsWith("ResponseCache; hit"), hit.header("Cache-Status"));
        }
    }
}
