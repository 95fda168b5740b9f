package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RawHttp;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.jetty.ee10.servlet.ServletApiResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In a web application the initializer ran in, its runner wraps every GET's response in the library's own
 * {@link ErrorReplacingResponse}, which was taken for a wrapper that may discard what is written: the servlet filter's
 * hits and its early JAX-RS hits went through the servlet API, never into Jetty's fields. While no stale-if-error
 * deadline is armed on that wrapper it passes every line on as it is, so they now go into Jetty's fields: the same
 * bytes as through the servlet API (forced here by a wrapper of the application's own), and Jetty's fields show the
 * pre-encoded lines only the direct path puts there.
 */
class HitBehindTheInitializersRunnerSkippedJettysFieldsTest {

    private static final Pattern DATE = Pattern.compile("Date: [^\r]*\r\n");

    /** A JAX-RS entry the servlet filter answers early. */
    @Path("items")
    public static final class Items {
        @GET
        @Path("{id}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String item(@PathParam("id") String id) {
            return "item " + id;
        }
    }

    /**
     * Behind the runner, in front of the cache: wraps the response when asked ({@code X-Path: generic}), so the
     * servlet API path is taken, sets {@code X-Front} when asked, and notes what reached Jetty's fields.
     */
    static final class Front implements Filter {
        /** Whether the runner's wrapper was the response given to this filter. */
        final Map<String, Boolean> behindTheRunner = new ConcurrentHashMap<>();
        /** Whether the hit's ETag line is in Jetty's fields pre-encoded: only the direct path puts it there so. */
        final Map<String, Boolean> preEncoded = new ConcurrentHashMap<>();

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            String id = request.getHeader("X-Id");
            behindTheRunner.put(id, res instanceof ErrorReplacingResponse);
            if ("other".equals(request.getHeader("X-Front"))) {
                response.setHeader("X-Front", "set in front");
            }
            boolean generic = "generic".equals(request.getHeader("X-Path"));
            chain.doFilter(request, generic ? new HttpServletResponseWrapper(response) : response);
            ServletResponse own = res instanceof ServletResponseWrapper wrapper ? wrapper.getResponse() : res;
            HttpField etag = ((ServletApiResponse) own).getResponse().getHeaders().getField(HttpHeader.ETAG);
            preEncoded.put(id, etag instanceof PreEncodedHttpField);
        }
    }

    private static String raw(int port, String method, String path, String id, String... headers)
            throws IOException {
        String[] lines = Stream.concat(Stream.of("X-Id: " + id), Arrays.stream(headers)).toArray(String[]::new);
        return DATE.matcher(RawHttp.exchange(port, method + " " + path + " HTTP/1.1", lines)).replaceFirst("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/page/a", "/vary/a", "/early/items/1"})
    void hitBehindTheRunnerGoesIntoJettysFieldsAsTheSameBytes(String path) throws IOException {
        Front front = new Front();
        // The cache's clock stands still: a hit's Age and ttl must not move between the two answers compared.
        MutableClock clock = new MutableClock();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .initializer(new ResponseCacheInitializer())
                .filter("front", front, "/*")
                .filter("page", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .filter("vary", new ResponseCacheFilter(), "/vary/*", "ttl", "60", "varyBy", "header:Accept-Language")
                .filter("early", new ResponseCacheFilter(), "/early/*", "earlyJaxrsHits", "true")
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(new Items())
                        .register(ResponseCacheFeature.class).property(ResponseCacheProperties.CLOCK, clock)), "/early/*")
                .servlet("page", new HitHeadThroughJettysFieldsTest.Page(), "/*"))) {
            int port = app.uri("/").getPort();
            String miss = raw(port, "GET", path, "miss");
            assertTrue(miss.contains("X-Cache: MISS"), miss);
            String hit = raw(port, "GET", path, "hit");
            Matcher tag = Pattern.compile("ETag: ([^\r]*)\r\n").matcher(hit);
            assertTrue(tag.find(), hit);
            String[][] cases = {
                {"GET"}, {"HEAD"}, {"GET", "If-None-Match: " + tag.group(1)}, {"GET", "X-Front: other"},
                {"GET", "Accept-Language: fr"},
            };
            for (String[] each : cases) {
                String[] headers = Arrays.copyOfRange(each, 1, each.length);
                String name = String.join(", ", each);
                // A request whose variant is not stored yet (Accept-Language on the entry that varies on it) stores it.
                raw(port, each[0], path, "first " + name, headers);
                String direct = raw(port, each[0], path, "direct " + name, headers);
                String[] generic = Arrays.copyOf(headers, headers.length + 1);
                generic[headers.length] = "X-Path: generic";
                String wrapped = raw(port, each[0], path, "generic " + name, generic);
                assertTrue(direct.contains("X-Cache: HIT") || direct.startsWith("HTTP/1.1 304"), name + ": " + direct);
                assertEquals(wrapped, direct, name);
                // The filter in front notes Jetty's fields once the chain returns, which may be after the client read.
                Eventually.until(() -> front.preEncoded.containsKey("direct " + name)
                        && front.preEncoded.containsKey("generic " + name), Duration.ofSeconds(30), () -> name);
                // The runner wraps a GET's response alone; a HEAD's was Jetty's own already.
                assertEquals("GET".equals(each[0]), front.behindTheRunner.get("direct " + name), name);
                assertEquals(Boolean.TRUE, front.preEncoded.get("direct " + name), "into Jetty's fields: " + name);
                assertEquals(Boolean.FALSE, front.preEncoded.get("generic " + name), "the servlet API: " + name);
            }
        }
    }
}
