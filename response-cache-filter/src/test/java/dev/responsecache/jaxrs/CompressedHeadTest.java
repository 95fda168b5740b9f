package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A HEAD answers the header fields a GET would (RFC 9110 9.3.2): from an entry kept gzip-compressed, a client that
 * accepts gzip gets the gzip representation's {@code Content-Encoding}, {@code ETag} and {@code Vary} on a HEAD as on
 * a GET, and never the identity body's length, on every path a hit is answered by.
 */
class CompressedHeadTest {

    private static final String JSON = PreMatchingCompressedHitsTest.JSON;
    private static final List<String> COMPARED = List.of("Content-Encoding", "ETag", "Vary", "Content-Type");

    private final PreMatchingHitsTest.Matchings matchings = new PreMatchingHitsTest.Matchings();
    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headOfACompressedEntryAnswersTheGzipHeadersOfTheGetBeforeMatching() {
        server = TestServer.jersey(app()).start();
        assertHeadAnswersAsGet("/api/products");
        assertEquals(1, matchings.count.get(), "only the miss was matched: every hit was answered before matching");
    }

    @Test
    void headOfACompressedEntryAnswersTheGzipHeadersOfTheGetInTheMethodsLookup() {
        server = TestServer.jersey(app().register(CharsetFromAcceptTest.PassingFilter.class)).start();
        assertHeadAnswersAsGet("/api/products");
        assertEquals(5, matchings.count.get(), "every request went through matching to the method's lookup");
    }

    @Test
    void headOfACompressedEntryAnswersTheGzipHeadersOfTheGetInFrontOfJersey() {
        server = TestServer.jersey(app());
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.context().setInitParameter(ResponseCacheProperties.COMPRESS, "gzip");
        server.start();
        assertHeadAnswersAsGet("/api/products");
        assertEquals(1, entries.count(), "only the miss entered Jersey: every hit was answered in front of it");
    }

    @Test
    void headOfACompressedEntryAnswersTheGzipHeadersOfTheGetAtTheServletFilter() {
        server = TestServer.servlets();
        server.context().setInitParameter(ResponseCacheProperties.COMPRESS, "gzip");
        server.context().addServlet(new ServletHolder(new JsonServlet()), "/json/*");
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        server.context().addFilter(cache, "/json/*", EnumSet.of(DispatcherType.REQUEST));
        server.start();
        assertHeadAnswersAsGet("/json/products");
    }

    private ResourceConfig app() {
        return new ResourceConfig().register(new Products()).register(matchings).register(entries)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COMPRESS, "gzip");
    }

    private void assertHeadAnswersAsGet(String path) {
        assertEquals("MISS", cache(server.get(path)));
        HttpResponse<byte[]> get = server.get(path, "Accept-Encoding", "gzip");
        HttpResponse<byte[]> head = head(path, "Accept-Encoding", "gzip");
        assertEquals("HIT", cache(get));
        assertEquals("HIT", cache(head));
        assertEquals(JSON, FiltersAndEncodingReplayTest.gunzip(get.body()));
        for (String name : COMPARED) {
            assertEquals(get.headers().allValues(name), head.headers().allValues(name), name);
        }
        assertEquals(Integer.toString(get.body().length), get.headers().firstValue("Content-Length").orElse("none"),
                "the gzip GET's length");
        assertEquals(Integer.toString(get.body().length), head.headers().firstValue("Content-Length").orElse("none"),
                "the gzip body's length");

        HttpResponse<byte[]> identityGet = server.get(path);
        HttpResponse<byte[]> identityHead = head(path);
        assertEquals(JSON, new String(identityGet.body(), StandardCharsets.UTF_8));
        for (String name : COMPARED) {
            assertEquals(identityGet.headers().allValues(name), identityHead.headers().allValues(name), name);
        }
        assertEquals(Integer.toString(identityGet.body().length),
                identityGet.headers().firstValue("Content-Length").orElse("none"), "the identity GET's length");
        assertEquals(Integer.toString(identityGet.body().length),
                identityHead.headers().firstValue("Content-Length").orElse("none"), "the identity body's length");
    }

    private HttpResponse<byte[]> head(String path, String... headers) {
        HttpRequest.Builder request = server.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return server.send(request.build());
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Path("products")
    public static final class Products {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String products() {
            return JSON;
        }
    }

    private static final class JsonServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.getOutputStream().write(JSON.getBytes(StandardCharsets.UTF_8));
        }
    }
}
