package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey's quality reader takes a weight with no digit before the point ({@code q=.5}, as Java's HttpURLConnection
 * wrote its default {@code Accept} on Java 8 and 11) or none after it ({@code q=1.}), and RESTEasy reads both too.
 * The hits before matching took such a weight for one no runtime reads and left every such request to Jersey, where
 * the hit in front of its servlet had answered it from the entry.
 */
class AcceptWeightJerseyReadsLostItsHitBeforeMatchingTest {

    private static final List<String> READ_BY_JERSEY = List.of("text/plain;q=.5", "text/plain;q=1.", "*/*;q=.2",
            "text/html, */*; q=.2");

    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void answeredInFrontOfJerseyAsJerseyAnswersThem() {
        server = TestServer.jersey(new ResourceConfig().register(PlainText.class).register(entries)
                .register(ResponseCacheFeature.class));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        HttpResponse<String> miss = server.getText("/api/notes", "Accept", "text/plain;q=.5");
        assertEquals(200, miss.statusCode(), "Jersey reads q=.5");
        assertEquals("MISS", cacheHeader(miss));
        assertEquals(1, entries.count());

        for (String accept : READ_BY_JERSEY) {
            HttpResponse<String> hit = server.getText("/api/notes", "Accept", accept);
            assertEquals(200, hit.statusCode(), accept);
            assertEquals("a note", hit.body(), accept);
            assertEquals("HIT", cacheHeader(hit), accept);
            assertEquals(1, entries.count(), accept + " was answered in front of Jersey");
        }
    }

    @Path("notes")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class PlainText {
        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "a note";
        }
    }
}
