package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.H2cClient;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RawHttp;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On Jetty a hit's header lines go into Jetty's own response fields ({@link JettyHitFields}) unless another filter
 * wrapped the response, and its request headers are read in one pass over Jetty's request fields unless another
 * filter wrapped the request: the same request, asked once each way, must be the same bytes, whatever a filter in
 * front set before it and whatever the request's header lines (repeated, in another case, with commas, unknown to
 * Jetty), and leave the servlet response in the same state (its content type, charset, committed).
 */
class HitHeadThroughJettysFieldsTest {

    private static final Pattern DATE = Pattern.compile("Date: [^\r]*\r\n");
    private static final String HTTP_DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    static final class Page extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/html;charset=utf-8");
            response.setHeader("Cache-Control", "public, max-age=60");
            response.addHeader("Link", "</a.css>; rel=preload");
            response.addHeader("Link", "</b.js>; rel=preload");
            response.setHeader("X-Page", "p\u00e9ge");
            // Past ISO-8859-1: Jetty's generator writes a space for it, so the line is never pre-encoded.
            response.setHeader("X-Price", "5 \u20ac");
            if (request.getRequestURI().contains("/own-vary/")) {
                response.setHeader("Vary", "Accept-Encoding");
            }
            if (request.getRequestURI().contains("/upstream/")) {
                // Relayed from caches nearer the origin: several lines, one empty, values Jetty writes as they are
                // and one it does not (past ISO-8859-1), which the entry keeps and every hit replays before its own.
                response.setHeader("Cache-Status", "OriginCache; hit; ttl=30");
                response.addHeader("Cache-Status", "Edge; fwd=uri-miss; detail=\"p\u00e9ge\"");
                response.addHeader("Cache-Status", "");
                response.addHeader("Cache-Status", "Far; fwd=stale; detail=\"5 \u20ac\"");
            }
            if (request.getRequestURI().contains("/many-upstream/")) {
                for (int i = 0; i < 200; i++) {
                    response.addHeader("Cache-Status", "Cache" + i + "; hit");
                }
            }
            response.getOutputStream().write("<p>cached page</p>".getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Lines Jetty writes otherwise than as they are set, or that Jetty cannot pre-encode for every protocol it
     * speaks. {@code /controls}: control characters in a value and in a name, which Jetty's HTTP/1 generator writes
     * as a space in a value and a dot in a name (a tab aside), so the servlet API never sends them raw.
     * {@code /latin1}: a value of ISO-8859-1 letters past ASCII (obs-text), which HTTP/1 writes as they are but whose
     * HPACK Huffman code is longer than the buffer Jetty's HTTP/2 pre-encoder sizes for it.
     */
    static final class Unusual extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setHeader("Cache-Control", "public, max-age=60");
            if (request.getRequestURI().endsWith("/controls")) {
                response.setHeader("X-Note", "a\u0001b\u001bc\td\u007fe\u0000f\u000bg");
                response.setHeader("X-Odd\u0002Name", "plain");
                response.setHeader("Content-Language", "en\u0007");
            } else {
                response.setHeader("X-Title", "\u00e9t\u00e9 \u00e0 \u00c9vreux, \u00e7a \u00e9t\u00e9 "
                        + "r\u00e9v\u00e9l\u00e9 \u00e0 \u00e9l\u00e8ves \u00e2g\u00e9s");
            }
            response.getOutputStream().write("unusual".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A page that shows the request headers a policy varies by: a hit of another variant would show others. */
    static final class Echo extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setHeader("Cache-Control", "public, max-age=60");
            String body = "tenant=" + Collections.list(request.getHeaders("X-Tenant")) + " language="
                    + Collections.list(request.getHeaders("Accept-Language")) + " accept="
                    + Collections.list(request.getHeaders("Accept")) + " authorized="
                    + (request.getHeader("Authorization") != null);
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * In front of the cache: wraps the request and the response when asked ({@code X-Path: generic}), so the
     * servlet API path is taken, sets what {@code X-Front} names before the hit, and keeps what the servlet response said after it.
     */
    static final class Front implements Filter {
        final Map<String, String> after = new ConcurrentHashMap<>();
        final Map<String, Boolean> direct = new ConcurrentHashMap<>();
        final Map<String, Boolean> directRequest = new ConcurrentHashMap<>();

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            String front = request.getHeader("X-Front");
            if (front != null) {
                switch (front) {
                    case "other" -> response.setHeader("X-Front", "set in front");
                    case "vary" -> response.setHeader("Vary", "Origin");
                    case "cache-control" -> response.setHeader("Cache-Control", "no-transform");
                    case "link" -> response.addHeader("Link", "</front.css>; rel=preload");
                    case "type" -> response.setContentType("text/plain");
                    case "charset" -> response.setCharacterEncoding("ISO-8859-1");
                    case "x-cache" -> response.setHeader("X-Cache", "front");
                    case "cache-status" -> response.setHeader("Cache-Status", "Front; fwd=uri-miss");
                    case "length" -> response.setContentLength(3);
                    default -> throw new IllegalArgumentException(front);
                }
            }
            boolean generic = "generic".equals(request.getHeader("X-Path"));
            HttpServletResponse passed = generic ? new HttpServletResponseWrapper(response) : response;
            HttpServletRequest passedRequest = generic ? new HttpServletRequestWrapper(request) : request;
            String id = request.getHeader("X-Id");
            direct.put(id, JettyResponses.direct(passed));
            directRequest.put(id, JettyResponses.directRequest(passedRequest));
            chain.doFilter(passedRequest, passed);
            after.put(id, response.getContentType() + " | " + response.getCharacterEncoding() + " | "
                    + response.isCommitted() + " | " + response.getStatus());
        }
    }

    private static String raw(int port, String method, String path, String id, String... headers)
            throws IOException {
        return raw("HTTP/1.1", port, method, path, id, headers);
    }

    private static String raw(String version, int port, String method, String path, String id, String... headers)
            throws IOException {
        String[] lines = Stream.concat(Stream.of("X-Id: " + id), Arrays.stream(headers)).toArray(String[]::new);
        return DATE.matcher(RawHttp.exchange(port, method + " " + path + " " + version, lines)).replaceFirst("");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/plain/a", "/vary/a", "/own-vary/a", "/upstream/a", "/many-upstream/a"})
    void hitIsTheSameBytesThroughJettysFieldsAndThroughTheServletApi(String path) throws IOException {
        MutableClock clock = new MutableClock();
        Front front = new Front();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("front", front, "/*")
                .filter("plain", new ResponseCacheFilter(), "/plain/*", "ttl", "60")
                .filter("vary", new ResponseCacheFilter(), "/vary/*", "ttl", "60", "varyBy", "header:Accept-Language")
                .filter("own-vary", new ResponseCacheFilter(), "/own-vary/*", "ttl", "60",
                        "varyBy", "header:Accept-Language")
                .filter("upstream", new ResponseCacheFilter(), "/upstream/*", "ttl", "60")
                .filter("many-upstream", new ResponseCacheFilter(), "/many-upstream/*", "ttl", "60")
                .servlet("page", new Page(), "/*"))) {
            int port = app.uri("/").getPort();
            String miss = raw(port, "GET", path, "miss");
            assertTrue(miss.contains("X-Cache: MISS"), miss);
            String hit = raw(port, "GET", path, "hit");
            Matcher tag = Pattern.compile("ETag: ([^\r]*)\r\n").matcher(hit);
            assertTrue(tag.find(), hit);
            String etag = tag.group(1);
            String[][] cases = {
                {"GET"}, {"HEAD"}, {"GET", "If-None-Match: " + etag}, {"GET", "Range: bytes=3-8"},
                {"GET", "Accept-Encoding: gzip"}, {"GET", "X-Front: other"}, {"GET", "X-Front: vary"},
                {"GET", "X-Front: cache-control"}, {"GET", "X-Front: link"}, {"GET", "X-Front: type"},
                {"GET", "X-Front: charset"}, {"GET", "X-Front: x-cache"}, {"GET", "X-Front: length"},
                {"HEAD", "X-Front: other"}, {"GET", "If-None-Match: " + etag, "X-Front: vary"},
                {"GET", "X-Front: cache-status"}, {"HEAD", "X-Front: cache-status"},
                {"GET", "Range: bytes=3-8", "X-Front: cache-status"},
            };
            for (String[] each : cases) {
                String[] headers = Arrays.copyOfRange(each, 1, each.length);
                String name = String.join(", ", each);
                // A request whose variant is not stored yet (Accept-Encoding on the entry that varies on it) stores it.
                raw(port, each[0], path, "first " + name, headers);
                String direct = raw(port, each[0], path, "direct " + name, headers);
                String[] generic = Arrays.copyOf(headers, headers.length + 1);
                generic[headers.length] = "X-Path: generic";
                String wrapped = raw(port, each[0], path, "generic " + name, generic);
                assertTrue(direct.contains("X-Cache: HIT") || direct.startsWith("HTTP/1.1 304"), direct);
                assertEquals(wrapped, direct, name);
                // One Cache-Status line: the stored members of caches nearer the origin, then this hit's alone; a
                // member set in front is an outer one, kept after it on a line of its own.
                Matcher status = Pattern.compile("\r\nCache-Status: ([^\r]*)").matcher(direct);
                assertTrue(status.find(), direct);
                String members = status.group(1);
                if (name.contains("X-Front: cache-status")) {
                    assertTrue(status.find() && status.group(1).equals("Front; fwd=uri-miss"), name + ": " + direct);
                }
                assertTrue(!status.find(), name + ": one line: " + direct);
                assertEquals(1, members.split("ResponseCache;", -1).length - 1, name + ": " + members);
                if (path.startsWith("/upstream/")) {
                    assertTrue(members.startsWith("OriginCache; hit; ttl=30, Edge; fwd=uri-miss; "
                            + "detail=\"p\u00e9ge\", Far; fwd=stale; detail=\"5 "), name + ": " + members);
                } else if (path.startsWith("/many-upstream/")) {
                    assertTrue(members.startsWith("Cache0; hit, Cache1; hit, ") && members.contains(
                            "Cache199; hit, ResponseCache; "), name + ": " + members);
                } else {
                    assertTrue(members.startsWith("ResponseCache; "), name + ": " + members);
                }
                // The filter in front notes the state once the chain returns, which may be after the client has read.
                Eventually.until(() -> front.after.containsKey("direct " + name)
                        && front.after.containsKey("generic " + name), Duration.ofSeconds(30), () -> name);
                assertEquals(front.after.get("generic " + name), front.after.get("direct " + name), name);
                assertEquals(Boolean.TRUE, front.direct.get("direct " + name), "Jetty's own response: " + name);
                assertEquals(Boolean.FALSE, front.direct.get("generic " + name), name);
                assertEquals(Boolean.TRUE, front.directRequest.get("direct " + name), "Jetty's own request: " + name);
                assertEquals(Boolean.FALSE, front.directRequest.get("generic " + name), name);
            }
        }
    }

    /**
     * The request headers a lookup reads (the credentials, preconditions, ranges and representations that decide
     * whether and what a hit answers, and the headers a policy varies by, one Jetty knows and one it does not) read
     * alike from Jetty's fields in one pass and through the servlet API: sent on several lines, in another case,
     * with commas, next to headers Jetty does not know. Each request is asked twice each way, so that what the first
     * stores the others answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/plain/a", "/vary/a", "/tenant/a"})
    void requestHeadersReadAlikeFromJettysFieldsAndThroughTheServletApi(String path) throws IOException {
        MutableClock clock = new MutableClock();
        Front front = new Front();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("front", front, "/*")
                .filter("plain", new ResponseCacheFilter(), "/plain/*", "ttl", "60")
                .filter("vary", new ResponseCacheFilter(), "/vary/*", "ttl", "60", "varyBy", "header:Accept-Language")
                .filter("tenant", new ResponseCacheFilter(), "/tenant/*", "ttl", "60", "varyBy", "header:X-Tenant")
                .servlet("echo", new Echo(), "/*"))) {
            int port = app.uri("/").getPort();
            raw(port, "GET", path, "miss");
            String hit = raw(port, "GET", path, "hit");
            Matcher tag = Pattern.compile("ETag: ([^\r]*)\r\n").matcher(hit);
            assertTrue(tag.find(), hit);
            String etag = tag.group(1);
            String[][] cases = {
                {"Accept-Language: fr"}, {"accept-language: fr"}, {"Accept-Language: fr", "Accept-Language: de"},
                {"Accept-Language: fr, de"}, {"Accept-Language: fr,de"}, {"X-Tenant: acme"}, {"x-tenant: acme"},
                {"X-Tenant: acme", "X-Tenant: globex"}, {"X-Tenant: acme,globex"}, {"X-Tenant:"},
                {"X-Unknown: 1", "X-Tenant: acme", "X-Other: 2"}, {"Accept: text/html", "Accept: */*"},
                {"accept: text/html, */*"}, {"Authorization: Basic dTpw"}, {"authorization: Basic dTpw"},
                {"Cookie: JSESSIONID=abc"}, {"Cookie: a=1", "Cookie: JSESSIONID=abc"}, {"Cache-Control: no-cache"},
                {"Pragma: no-cache"}, {"Cache-Control: only-if-cached"}, {"if-none-match: " + etag},
                {"If-None-Match: \"other\"", "If-None-Match: " + etag}, {"If-Modified-Since: " + HTTP_DATE},
                {"If-Match: *"}, {"If-Unmodified-Since: " + HTTP_DATE}, {"range: bytes=0-3"},
                {"Range: bytes=0-3", "If-Range: " + etag}, {"Accept-Encoding: gzip"}, {"accept-encoding: GZIP, br"},
                {"Content-Length: 0"}, {"X-Forwarded-Host: other.example"}, {"Forwarded: host=other.example"},
            };
            for (String[] headers : cases) {
                String name = String.join(" | ", headers);
                String[] generic = Arrays.copyOf(headers, headers.length + 1);
                generic[headers.length] = "X-Path: generic";
                // What the first request of a variant stores, the ones compared answer.
                raw(port, "GET", path, "first " + name, headers);
                String direct = raw(port, "GET", path, "direct " + name, headers);
                String wrapped = raw(port, "GET", path, "generic " + name, generic);
                assertEquals(wrapped, direct, name);
                assertEquals(Boolean.TRUE, front.directRequest.get("direct " + name), name);
                assertEquals(Boolean.FALSE, front.directRequest.get("generic " + name), name);
            }
        }
    }

    /**
     * A stored line went in pre-encoded when it had no CR, LF or character past ISO-8859-1, but Jetty's generator
     * also replaces every other control character (a tab aside): the hit wrote them raw where the servlet API (and
     * the miss) wrote spaces and dots, and a client may refuse a raw control character in a header. Worse, Jetty
     * pre-encodes a field for HTTP/2 as well, whatever the request's protocol, into a buffer too short for the
     * Huffman codes of control characters: the hit failed with a 500.
     */
    @Test
    void controlCharacterInAStoredLineWasWrittenRawOrFailedTheHit() throws IOException {
        hitOfAnUnusualLineIsTheBytesTheServletApiWrites("/plain/controls", "X-Note: a b c\td\u007fe f g\r\n",
                "X-Odd.Name: plain\r\n", "Content-Language: en \r\n");
    }

    /**
     * Jetty's HTTP/2 pre-encoder, which runs for every pre-encoded field, overflows its buffer on a value of many
     * ISO-8859-1 letters past ASCII: every hit of such an entry (an accented title, a file name) was a 500.
     */
    @Test
    void latin1LineThatJettyCannotPreEncodeFailedTheHit() throws IOException {
        hitOfAnUnusualLineIsTheBytesTheServletApiWrites("/plain/latin1", "X-Title: \u00e9t\u00e9 \u00e0 \u00c9vreux");
    }

    /**
     * Over HTTP/2 a line is never pre-encoded, but its pre-encoded field was built all the same, for every protocol:
     * the HPACK pre-encoder's overflow failed the HTTP/2 hit too. (Control characters are left out here: Jetty's
     * HPACK encoder resets the stream of any response with one, the miss too.)
     */
    @Test
    void latin1LineThatJettyCannotPreEncodeFailedTheHitOverHttp2() {
        TestServer server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(new ResponseCacheFilter());
        filter.setInitParameter("ttl", "60");
        server.context().addFilter(filter, "/plain/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new Unusual()), "/*");
        server.http2Cleartext().start();
        try (H2cClient client = new H2cClient(server.port())) {
            H2cClient.Response miss = client.send("GET", server.port(), "/plain/latin1", null);
            assertEquals(200, miss.status(), miss::body);
            H2cClient.Response hit = client.send("GET", server.port(), "/plain/latin1", null);
            assertEquals(200, hit.status(), hit::body);
            assertEquals("HIT", hit.header("X-Cache"));
            assertEquals(miss.header("X-Title"), hit.header("X-Title"));
            assertEquals("unusual", hit.body());
        } finally {
            server.close();
        }
    }

    private static void hitOfAnUnusualLineIsTheBytesTheServletApiWrites(String path, String... lines)
            throws IOException {
        MutableClock clock = new MutableClock();
        Front front = new Front();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("front", front, "/*")
                .filter("plain", new ResponseCacheFilter(), "/plain/*", "ttl", "60")
                .servlet("unusual", new Unusual(), "/*"))) {
            int port = app.uri("/").getPort();
            String miss = raw(port, "GET", path, "miss");
            assertTrue(miss.startsWith("HTTP/1.1 200 ") && miss.contains("X-Cache: MISS"), miss);
            for (String line : lines) {
                assertTrue(miss.contains(line), miss);
            }
            for (String[] request : new String[][] {{"HTTP/1.1", "GET"}, {"HTTP/1.1", "HEAD"}, {"HTTP/1.0", "GET"}}) {
                String version = request[0];
                String method = version + " " + request[1];
                String direct = raw(version, port, request[1], path, "direct " + method);
                String wrapped = raw(version, port, request[1], path, "generic " + method, "X-Path: generic");
                assertTrue(direct.startsWith("HTTP/1.1 200 ") && direct.contains("X-Cache: HIT"), direct);
                assertEquals(Boolean.TRUE, front.direct.get("direct " + method), method);
                assertEquals(wrapped, direct, method);
                for (String line : lines) {
                    assertTrue(direct.contains(line), direct);
                }
            }
        }
    }
}
