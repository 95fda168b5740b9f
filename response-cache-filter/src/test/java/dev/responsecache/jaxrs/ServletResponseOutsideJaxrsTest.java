package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the client through the servlet response itself, outside the JAX-RS response the cache reads: a cookie
 * the method adds with {@code @Context HttpServletResponse}, a body it writes there, a redirect it sends there, or a
 * cookie a servlet filter in front of the runtime set for this request. The servlet filter adapter refuses a response
 * whose client got a cookie, wherever it was set ("a cookie set there still makes the response personal"); the JAX-RS
 * adapter must not store what it cannot see either.
 */
class ServletResponseOutsideJaxrsTest {

    private final TokenResource resource = new TokenResource();
    private final AtomicInteger visitors = new AtomicInteger();
    private final AtomicInteger requestIds = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class))
                .filter(new VisitorCookieFilter(visitors), "/api/visitor/*")
                .filter(new RequestIdFilter(requestIds), "/api/stamped/*")
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void cookieTheMethodAddsThroughTheServletResponseKeepsTheResponseOutOfTheCache() {
        HttpResponse<String> first = server.getText("/api/token/cookie");
        assertEquals("csrf=t1", first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]);
        assertEquals("token=t1", first.body());
        HttpResponse<String> second = server.getText("/api/token/cookie");
        // The second visitor must not get the first visitor's token (without the cookie that goes with it).
        assertNotEquals("token=t1", second.body(), "X-Cache: " + cache(second));
    }

    @Test
    void cookieAServletFilterInFrontSetForThisRequestKeepsTheResponseOutOfTheCache() {
        HttpResponse<String> first = server.getText("/api/visitor");
        assertEquals("visitor=1", first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]);
        assertEquals("form for visitor 1", first.body());
        HttpResponse<String> second = server.getText("/api/visitor");
        assertEquals("visitor=2", second.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]);
        // Visitor 2 gets its own cookie from the filter, and must get the page that goes with it.
        assertEquals("form for visitor 2", second.body(), "X-Cache: " + cache(second));
    }

    @Test
    void bodyTheMethodWritesToTheServletResponseIsNeverReplayedAsTheEmptyJaxrsResponse() {
        HttpResponse<String> first = server.getText("/api/token/written");
        assertEquals(200, first.statusCode());
        assertEquals("report 1", first.body());
        // The cache cannot see what was written there, so it stores nothing: the method answers again (never the
        // 204 without a body that JAX-RS saw).
        HttpResponse<String> second = server.getText("/api/token/written");
        assertEquals(200, second.statusCode(), "X-Cache: " + cache(second));
        assertEquals("report 2", second.body(), "X-Cache: " + cache(second));
    }

    @Test
    void redirectTheMethodSendsThroughTheServletResponseIsWhatAHitReplays() {
        HttpResponse<String> first = server.getText("/api/token/redirected");
        assertEquals(302, first.statusCode());
        HttpResponse<String> second = server.getText("/api/token/redirected");
        assertEquals(first.statusCode(), second.statusCode(), "X-Cache: " + cache(second));
        assertEquals(first.headers().firstValue("Location"), second.headers().firstValue("Location"));
        assertNotEquals("HIT", cache(second), "a redirect sent outside JAX-RS is not stored");
    }

    /**
     * {@code setCharacterEncoding} and {@code setLocale} change no header line a container lists (Tomcat keeps the
     * content type and language apart): the miss was sent in UTF-16 and the hit without the charset.
     */
    @Test
    void characterEncodingTheMethodSetsOnTheServletResponseKeepsTheResponseOutOfTheCache() {
        HttpResponse<String> first = server.getText("/api/token/encoded");
        assertTrue(first.headers().firstValue("Content-Type").orElseThrow().toLowerCase(Locale.ROOT).contains("utf-16"),
                first.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> second = server.getText("/api/token/encoded");
        assertNotEquals("HIT", cache(second));
        assertTrue(second.headers().firstValue("Content-Type").orElseThrow().toLowerCase(Locale.ROOT).contains("utf-16"));
    }

    @Test
    void headerTheMethodSetsOnTheServletResponseKeepsTheResponseOutOfTheCache() {
        HttpResponse<String> first = server.getText("/api/token/header");
        assertEquals("1", first.headers().firstValue("X-Report-Id").orElseThrow());
        HttpResponse<String> second = server.getText("/api/token/header");
        // Stored, the entry would lack the header: the second client would get the body without it.
        assertEquals("2", second.headers().firstValue("X-Report-Id").orElseThrow(), "X-Cache: " + cache(second));
        assertEquals("report 2", second.body());
    }

    @Test
    void trailerFieldsTheMethodSetsOnTheServletResponseKeepTheResponseOutOfTheCache() {
        HttpResponse<String> first = server.getText("/api/token/trailers");
        assertEquals("report 1", first.body());
        HttpResponse<String> second = server.getText("/api/token/trailers");
        // Stored, the entry would lack the trailer fields the container sends after the body: a hit has none.
        assertEquals("report 2", second.body(), "X-Cache: " + cache(second));
        assertEquals("ResponseCache; fwd=uri-miss; detail=servlet-response",
                second.headers().firstValue("Cache-Status").orElseThrow());
    }

    @Test
    void headerAServletFilterInFrontSetsIsNotStoredAndTheFilterSetsItAgainOnEveryHit() {
        HttpResponse<String> first = server.getText("/api/stamped");
        assertEquals(List.of("1"), first.headers().allValues("X-Request-Id"));
        HttpResponse<String> second = server.getText("/api/stamped");
        assertEquals("HIT", cache(second));
        assertEquals(first.body(), second.body());
        assertEquals(List.of("2"), second.headers().allValues("X-Request-Id"));
    }

    @Path("")
    public static final class TokenResource {
        private final AtomicInteger tokens = new AtomicInteger();
        private final AtomicInteger reports = new AtomicInteger();

        @GET
        @Path("token/cookie")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String cookie(@Context HttpServletResponse response) {
            String token = "t" + tokens.incrementAndGet();
            response.addCookie(new Cookie("csrf", token));
            return "token=" + token;
        }

        @GET
        @Path("token/written")
        @CacheResponse(ttl = 60)
        public void written(@Context HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getOutputStream().write(("report " + reports.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
            response.flushBuffer();
        }

        @GET
        @Path("token/redirected")
        @CacheResponse(ttl = 60)
        public void redirected(@Context HttpServletResponse response) throws IOException {
            response.sendRedirect("/elsewhere");
        }

        @GET
        @Path("token/encoded")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String encoded(@Context HttpServletResponse response) {
            response.setCharacterEncoding("UTF-16");
            return "report " + reports.incrementAndGet();
        }

        @GET
        @Path("token/header")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String header(@Context HttpServletResponse response) {
            int report = reports.incrementAndGet();
            response.setHeader("X-Report-Id", String.valueOf(report));
            return "report " + report;
        }

        @GET
        @Path("token/trailers")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String trailers(@Context HttpServletResponse response) {
            int report = reports.incrementAndGet();
            response.setTrailerFields(() -> Map.of("x-checksum", "sum of report " + report));
            return "report " + report;
        }

        @GET
        @Path("stamped")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String stamped() {
            return "the same for everyone";
        }

        @GET
        @Path("visitor")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String visitor(@Context HttpServletRequest request) {
            return "form for visitor " + request.getAttribute("visitor");
        }
    }

    /** A request id a filter in front sets on every response: its own header, hit or miss. */
    private static final class RequestIdFilter implements Filter {
        private final AtomicInteger ids;

        RequestIdFilter(AtomicInteger ids) {
            this.ids = ids;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) response).setHeader("X-Request-Id", String.valueOf(ids.incrementAndGet()));
            chain.doFilter(request, response);
        }
    }

    /** What a CSRF or visitor-id filter does: a cookie for this request, and its value for the page to embed. */
    private static final class VisitorCookieFilter implements Filter {
        private final AtomicInteger visitors;

        VisitorCookieFilter(AtomicInteger visitors) {
            this.visitors = visitors;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            int visitor = visitors.incrementAndGet();
            request.setAttribute("visitor", visitor);
            ((HttpServletResponse) response).addCookie(new Cookie("visitor", String.valueOf(visitor)));
            chain.doFilter(request, response);
        }
    }
}
