package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;

import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What both adapters do alike about the headers a response is selected by, the host it was built for, a copy for
 * the cache that cannot be kept or a client that goes away, and evicting by tag and by URL, run on every runtime and
 * container as {@link ContractSuite} is: one web application holds {@link ParityResource} under
 * {@code /api/parity} and {@link ParityServlet} behind cache filters under {@code /parity}, with the same endpoints.
 */
public abstract class ParityContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TOKEN = "parity-0123456789abcdef";

    /** The same endpoint, cached by the JAX-RS feature or by the servlet filter. */
    public enum Side {
        JAXRS("/api/parity"),
        SERVLET("/parity");

        private final String prefix;

        Side(String prefix) {
            this.prefix = prefix;
        }

        String path(String endpoint) {
            return prefix + endpoint;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> started = new ArrayList<>();

    protected abstract Container container();

    protected abstract JaxrsRuntime runtime();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private Container.Deployed deploy() throws Exception {
        return deploy(new WebApp());
    }

    private Container.Deployed deploy(WebApp app) throws Exception {
        app.jaxrs(ParityApplication.class).contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "64MB")
                .contextParam(ResponseCacheProperties.TAG_HEADER, "X-Parity-Tags")
                .contextParam(ResponseCacheProperties.PURGE_TOKEN, TOKEN)
                .contextParam(ResponseCacheProperties.PURGE_ROLE, "purger")
                .filter("roles", RolesFromHeaders.class, "/*")
                .servlet("parity", ParityServlet.class, "/parity/*")
                .cacheFilter("language", "/parity/vary/language", "ttl", "60", "varyBy", "header:Accept-Language")
                .cacheFilter("accept", "/parity/vary/accept", "ttl", "60")
                .cacheFilter("own", "/parity/vary/own", "ttl", "60", "varyBy", "header:Accept-Language")
                .cacheFilter("cookie", "/parity/vary/cookie", "ttl", "60", "varyBy", "cookie:lang")
                .cacheFilter("host", "/parity/host/*", "ttl", "60", "statuses", "200,308")
                .cacheFilter("bodies", "/parity/bodies/*", "ttl", "60")
                .cacheFilter("evict", "/parity/evict/*", "ttl", "60");
        Container.Deployed deployed = container().deploy(app, runtime());
        started.add(deployed);
        return deployed;
    }

    private HttpResponse<String> get(Container.Deployed app, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private HttpResponse<byte[]> getBytes(Container.Deployed app, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> purge(Container.Deployed app, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT)
                .method("PURGE", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts a hit, so that a later miss proves an eviction rather than an entry that was never stored. */
    private void cached(Container.Deployed app, String path) throws Exception {
        get(app, path);
        assertEquals("HIT", cache(get(app, path)), path);
    }

    private static ResponseCacheInvalidator invalidator(Container.Deployed app) {
        return (ResponseCacheInvalidator) app.servletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
    }

    private static int calls(Container.Deployed app) {
        return Counters.counter(app.servletContext(), Counters.CALLS).get();
    }

    /** Vary on the miss and on the hit names exactly {@code expected}, in one field line. */
    private void assertVary(Side side, String endpoint, String expected, String... headers) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> miss = get(app, side.path(endpoint), headers);
        HttpResponse<String> hit = get(app, side.path(endpoint), headers);
        assertEquals("MISS", cache(miss));
        assertEquals("HIT", cache(hit));
        assertEquals(List.of(expected), miss.headers().allValues("Vary"));
        assertEquals(List.of(expected), hit.headers().allValues("Vary"));
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void entryKeyedOnARequestHeaderIsSentWithVaryNamingItOnMissAndHit(Side side) throws Exception {
        assertVary(side, "/vary/language", "Accept, Accept-Language", "Accept-Language", "de");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void entryKeyedOnTheRepresentationOnlyIsSentWithVaryAccept(Side side) throws Exception {
        assertVary(side, "/vary/accept", "Accept", "Accept", "text/plain");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void applicationVaryIsMergedWithoutRepeatingANameItAlreadyHas(Side side) throws Exception {
        assertVary(side, "/vary/own", "accept-language, Origin, Accept", "Accept-Language", "fr");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void entryKeyedOnACookieIsSentWithVaryCookieAndStillSharedAcrossOtherCookies(Side side) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> miss = get(app, side.path("/vary/cookie"), "Cookie", "lang=de; tracking=1");
        HttpResponse<String> hit = get(app, side.path("/vary/cookie"), "Cookie", "lang=de; tracking=2");
        assertEquals("HIT", cache(hit));
        assertEquals(List.of("Accept, Cookie"), miss.headers().allValues("Vary"));
        assertEquals(miss.headers().allValues("Vary"), hit.headers().allValues("Vary"));
        assertEquals("MISS", cache(get(app, side.path("/vary/cookie"), "Cookie", "lang=fr")));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void absoluteLocationBuiltFromTheRequestIsNotServedToAnotherHost(Side side) throws Exception {
        Container.Deployed app = deploy();
        String target = side.path("/host/target");
        HttpResponse<String> attacker = get(app, side.path("/host/absolute"), "Host", "evil.example");
        assertEquals(308, attacker.statusCode());
        assertEquals("http://evil.example" + target, attacker.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> visitor = get(app, side.path("/host/absolute"), "Host", "good.example");
        assertEquals("MISS", cache(visitor));
        assertEquals("http://good.example" + target, visitor.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> next = get(app, side.path("/host/absolute"), "Host", "good.example");
        assertEquals("HIT", cache(next));
        assertEquals("http://good.example" + target, next.headers().firstValue("Location").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void bodyWithALinkBuiltFromTheRequestIsNotServedToAnotherHost(Side side) throws Exception {
        Container.Deployed app = deploy();
        get(app, side.path("/host/links"), "Host", "evil.example");
        HttpResponse<String> visitor = get(app, side.path("/host/links"), "Host", "good.example");
        assertEquals("MISS", cache(visitor));
        assertTrue(visitor.body().contains("http://good.example" + side.path("/host/target")), visitor.body());
        assertEquals("HIT", cache(get(app, side.path("/host/links"), "Host", "good.example")));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void originReflectedByTheApplicationIsNotServedToAnotherOrigin(Side side) throws Exception {
        Container.Deployed app = deploy();
        get(app, side.path("/host/cors"), "Origin", "https://evil.example");
        HttpResponse<String> other = get(app, side.path("/host/cors"), "Origin", "https://app.example");
        assertEquals("MISS", cache(other));
        assertEquals("https://app.example", other.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        HttpResponse<String> again = get(app, side.path("/host/cors"), "Origin", "https://app.example");
        assertEquals("HIT", cache(again));
        assertEquals("https://app.example", again.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void responseThatDoesNotNameTheHostIsSharedAcrossHosts(Side side) throws Exception {
        Container.Deployed app = deploy();
        get(app, side.path("/host/plain"), "Host", "one.example");
        assertEquals("HIT", cache(get(app, side.path("/host/plain"), "Host", "two.example")));
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void copyThatRunsOutOfMemoryNeverCutsTheResponse(Side side) throws Exception {
        // Copies may not grow past 16 KB: as if the heap had no room left for them.
        IntFunction<byte[]> scarce = size -> {
            if (size > 16 * 1024) {
                throw new OutOfMemoryError("Java heap space (no room for a copy of " + size + " bytes)");
            }
            return new byte[size];
        };
        Container.Deployed app = deploy(new WebApp().attribute("dev.responsecache.core.copy-buffers", scarce));
        HttpResponse<byte[]> first = getBytes(app, side.path("/bodies/large"));
        HttpResponse<byte[]> second = getBytes(app, side.path("/bodies/large"));
        assertEquals(200, first.statusCode());
        assertArrayEquals(Bodies.of(Bodies.LARGE), first.body());
        assertEquals("MISS", cache(first));
        assertArrayEquals(Bodies.of(Bodies.LARGE), second.body());
        assertEquals("MISS", cache(second), "nothing was kept");
        getBytes(app, side.path("/bodies/small"));
        HttpResponse<byte[]> small = getBytes(app, side.path("/bodies/small"));
        assertEquals("HIT", cache(small), "a body whose copy fits is still stored");
        assertArrayEquals(Bodies.of(Bodies.SMALL), small.body());
    }

    /**
     * The body is stored before it is delivered, so a client that hangs up mid-body (whether or not the application
     * swallows the error) can never leave a truncated entry: the next visitor gets the whole body.
     */
    @ParameterizedTest
    @EnumSource(Side.class)
    void clientThatHangsUpMidBodyNeverLeavesATruncatedEntry(Side side) throws Exception {
        Container.Deployed app = deploy();
        RawClient.getAndHangUp(app.base(), side.path("/bodies/hang-up"), Bodies.CHUNK);

        HttpResponse<byte[]> second = getBytes(app, side.path("/bodies/hang-up"));
        assertEquals("HIT", cache(second));
        assertArrayEquals(Bodies.of(Bodies.WHOLE), second.body());
        assertEquals(1, calls(app));
    }

    /**
     * The first request for a cold key whose client reads nothing: its response is stored before it is sent, so a
     * request coalesced behind it is answered from the entry instead of waiting for a transfer that never ends.
     */
    @ParameterizedTest
    @EnumSource(Side.class)
    void clientThatDoesNotReadHoldsUpNoRequestWaitingForItsResponse(Side side) throws Exception {
        Container.Deployed app = deploy();
        Socket stalled = RawClient.getWithoutReading(app.base(), side.path("/bodies/stall"));
        try {
            RawClient.await(() -> calls(app) == 1, "the first request ran the method");
            HttpResponse<byte[]> second = getBytes(app, side.path("/bodies/stall"));
            assertEquals("HIT", cache(second));
            assertArrayEquals(Bodies.of(Bodies.WHOLE), second.body());
            assertEquals(1, calls(app));
        } finally {
            stalled.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void tagsAddedAtRunTimeEvictTheResponses(Side side) throws Exception {
        Container.Deployed app = deploy();
        cached(app, side.path("/evict/listed/1"));
        cached(app, side.path("/evict/listed/2"));
        assertEquals(2, invalidator(app).evictTags("listed"));
        assertEquals("MISS", cache(get(app, side.path("/evict/listed/1"))));
        assertEquals("MISS", cache(get(app, side.path("/evict/listed/2"))));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void tagHeaderTagsTheEntryAndNeverReachesTheClient(Side side) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> miss = get(app, side.path("/evict/shown/1"));
        HttpResponse<String> hit = get(app, side.path("/evict/shown/1"));
        assertEquals("HIT", cache(hit));
        assertTrue(miss.headers().firstValue("X-Parity-Tags").isEmpty(), miss.headers().map().toString());
        assertTrue(hit.headers().firstValue("X-Parity-Tags").isEmpty(), hit.headers().map().toString());
        cached(app, side.path("/evict/shown/2"));
        assertEquals(1, invalidator(app).evictTags("shown:1"));
        assertEquals("MISS", cache(get(app, side.path("/evict/shown/1"))));
        assertEquals("HIT", cache(get(app, side.path("/evict/shown/2"))));
        assertEquals(2, invalidator(app).evictTags("shown"));
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(app.base().resolve(side.path("/evict/shown/1")))
                .timeout(TIMEOUT).PUT(HttpRequest.BodyPublishers.ofString("3")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, put.statusCode());
        assertTrue(put.headers().firstValue("X-Parity-Tags").isEmpty(), "nor on a response the cache only passes on");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void purgeMethodEvictsThatUrlOnlyWithTheTokenOrTheRole(Side side) throws Exception {
        Container.Deployed app = deploy();
        String url = side.path("/evict/shown/1?currency=eur");
        String other = side.path("/evict/shown/1");
        cached(app, url);
        cached(app, other);
        HttpResponse<String> anonymous = purge(app, url);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, purge(app, url, "Authorization", "Bearer wrong-0123456789abcdef").statusCode());
        assertEquals(403, purge(app, url, "X-User", "someone", "X-Roles", "viewer").statusCode());
        assertEquals("HIT", cache(get(app, url)), "a refused purge evicts nothing");
        HttpResponse<String> byToken = purge(app, url, "Authorization", "Bearer " + TOKEN);
        assertEquals(200, byToken.statusCode());
        assertEquals("removed=1\n", byToken.body());
        assertEquals("MISS", cache(get(app, url)));
        assertEquals("HIT", cache(get(app, other)), "only that URL");
        assertEquals("removed=1\n", purge(app, other, "X-User", "operator", "X-Roles", "purger").body());
        assertEquals("MISS", cache(get(app, other)));
    }
}
