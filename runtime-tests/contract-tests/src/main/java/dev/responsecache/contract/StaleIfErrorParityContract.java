package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What both adapters do alike with stale-if-error (ttl 60 s, staleIfError 600 s): an error of the application
 * within the window is answered with the stored response, and only there, run on every runtime and container as
 * {@link ContractSuite} is. One web application holds {@link StaleIfErrorResource} under {@code /api/sie} and
 * {@link StaleIfErrorServlet} behind cache filters under {@code /sie}, with the same endpoints; the ways a method
 * fails (unmapped, mapped, returned) are {@link ContractSuite}'s.
 */
public abstract class StaleIfErrorParityContract {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The same endpoint, cached by the JAX-RS feature or by the servlet filter. */
    public enum Side {
        JAXRS("/api/sie"),
        SERVLET("/sie");

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
    private final Outage outage = new Outage();

    protected abstract Container container();

    protected abstract JaxrsRuntime runtime();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private Container.Deployed deploy() throws Exception {
        WebApp app = new WebApp().jaxrs(StaleIfErrorApplication.class)
                .attribute(Outage.ATTRIBUTE, outage)
                .attribute(ResponseCacheProperties.CLOCK, outage.clock)
                .filter("roles", RolesFromHeaders.class, "/*")
                .servlet("sie", StaleIfErrorServlet.class, "/sie/*")
                .cacheFilter("window", "/sie/window/*", "ttl", "60", "staleIfError", "600",
                        "varyBy", "header:Accept-Language")
                .cacheFilter("user", "/sie/user/*", "ttl", "60", "staleIfError", "600", "varyBy", "principal")
                .cacheFilter("short", "/sie/short/*", "ttl", "60");
        Container.Deployed deployed = container().deploy(app, runtime());
        started.add(deployed);
        return deployed;
    }

    private HttpResponse<String> get(Container.Deployed app, String path, String... headers) throws Exception {
        return send(app, "GET", path, headers);
    }

    private HttpResponse<String> send(Container.Deployed app, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("none");
    }

    private static String cache(HttpResponse<?> response) {
        return header(response, "X-Cache");
    }

    private static int calls(Container.Deployed app) {
        return Counters.counter(app.servletContext(), Counters.CALLS).get();
    }

    /** Stores {@code path}'s response and moves the clock one second past its expiry. */
    private HttpResponse<String> storeThenExpire(Container.Deployed app, String path, String... headers)
            throws Exception {
        HttpResponse<String> miss = get(app, path, headers);
        assertEquals(200, miss.statusCode());
        assertEquals("MISS", cache(miss));
        outage.clock.advance(Duration.ofSeconds(61));
        return miss;
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void errorWithinTheWindowIsAnsweredWithTheStoredStatusHeadersAndBodyAndItsAge(Side side) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> miss = storeThenExpire(app, side.path("/window/1"));
        outage.mode = Outage.Mode.ANSWERS_503;
        HttpResponse<String> stale = get(app, side.path("/window/1"));
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("1", header(stale, "X-Item"));
        assertTrue(header(stale, "Content-Type").startsWith("text/plain"), header(stale, "Content-Type"));
        assertEquals("61", header(stale, "Age"));
        assertEquals("STALE", cache(stale));
        assertEquals("ResponseCache; fwd=stale; fwd-status=503; ttl=-1", header(stale, "Cache-Status"));
        assertEquals(2, calls(app), "the method ran, and failed");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void windowEndsStaleIfErrorSecondsAfterTheExpiryOnTheInjectedClock(Side side) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> miss = storeThenExpire(app, side.path("/window/2"));
        outage.mode = Outage.Mode.ANSWERS_503;
        outage.clock.advance(Duration.ofSeconds(598));
        HttpResponse<String> last = get(app, side.path("/window/2"));
        assertEquals("STALE", cache(last), "659 s after storing, one second before the window closes");
        assertEquals(miss.body(), last.body());
        assertEquals("ResponseCache; fwd=stale; fwd-status=503; ttl=-599", header(last, "Cache-Status"));
        outage.clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> error = get(app, side.path("/window/2"));
        assertEquals(503, error.statusCode());
        assertEquals("backend down", error.body());
        assertNotEquals("STALE", cache(error));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void recoveredMethodReplacesTheStaleEntry(Side side) throws Exception {
        Container.Deployed app = deploy();
        storeThenExpire(app, side.path("/window/3"));
        outage.mode = Outage.Mode.ANSWERS_503;
        assertEquals("STALE", cache(get(app, side.path("/window/3"))));
        outage.mode = Outage.Mode.OK;
        HttpResponse<String> fresh = get(app, side.path("/window/3"));
        assertEquals("MISS", cache(fresh));
        assertEquals("item 3 call 3", fresh.body());
        HttpResponse<String> hit = get(app, side.path("/window/3"));
        assertEquals("HIT", cache(hit));
        assertEquals("item 3 call 3", hit.body());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void entryEvictedWhileTheMethodRanNeverAnswersItsError(Side side) throws Exception {
        Container.Deployed app = deploy();
        storeThenExpire(app, side.path("/window/12"));
        ResponseCacheInvalidator invalidator =
                (ResponseCacheInvalidator) app.servletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        outage.mode = Outage.Mode.ANSWERS_503;
        String path = app.base().resolve(side.path("/window/12")).getRawPath();
        // An update of the item while this request runs: its method fails after the eviction.
        outage.whileAnswering = () -> invalidator.evictPath(path);
        HttpResponse<String> error = get(app, side.path("/window/12"));
        assertEquals(503, error.statusCode(), "the entry evicted during the request answered its error");
        assertEquals("backend down", error.body());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void endpointWithoutStaleIfErrorPassesTheErrorThrough(Side side) throws Exception {
        Container.Deployed app = deploy();
        storeThenExpire(app, side.path("/short/4"));
        outage.mode = Outage.Mode.ANSWERS_503;
        HttpResponse<String> error = get(app, side.path("/short/4"));
        assertEquals(503, error.statusCode());
        assertEquals("backend down", error.body());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void clientErrorIsNotAnOutageAndGoesToTheClient(Side side) throws Exception {
        Container.Deployed app = deploy();
        storeThenExpire(app, side.path("/window/5"));
        outage.mode = Outage.Mode.ANSWERS_404;
        HttpResponse<String> gone = get(app, side.path("/window/5"));
        assertEquals(404, gone.statusCode());
        assertEquals("gone", gone.body());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void staleEntryIsNeverServedForAnotherVaryValue(Side side) throws Exception {
        Container.Deployed app = deploy();
        get(app, side.path("/window/6"), "Accept-Language", "de");
        // Stored 61 s before the outage: the German entry is stale, the French one, stored now, is fresh.
        outage.clock.advance(Duration.ofSeconds(61));
        get(app, side.path("/window/6"), "Accept-Language", "fr");
        outage.mode = Outage.Mode.ANSWERS_503;
        assertEquals(503, get(app, side.path("/window/6"), "Accept-Language", "en").statusCode());
        HttpResponse<String> german = get(app, side.path("/window/6"), "Accept-Language", "de");
        assertEquals(200, german.statusCode());
        assertEquals("STALE", cache(german));
        HttpResponse<String> french = get(app, side.path("/window/6"), "Accept-Language", "fr");
        assertEquals("HIT", cache(french));
        outage.clock.advance(Duration.ofSeconds(600));
        assertEquals(503, get(app, side.path("/window/6"), "Accept-Language", "de").statusCode(),
                "past the window");
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void staleEntryIsNeverServedToAnotherUser(Side side) throws Exception {
        Container.Deployed app = deploy();
        HttpResponse<String> alice = storeThenExpire(app, side.path("/user/7"), "X-User", "alice");
        outage.mode = Outage.Mode.ANSWERS_503;
        HttpResponse<String> bob = get(app, side.path("/user/7"), "X-User", "bob");
        assertEquals(503, bob.statusCode());
        assertEquals("backend down", bob.body());
        assertEquals(503, get(app, side.path("/user/7")).statusCode(), "nor to an anonymous visitor");
        HttpResponse<String> aliceAgain = get(app, side.path("/user/7"), "X-User", "alice");
        assertEquals("STALE", cache(aliceAgain));
        assertEquals(alice.body(), aliceAgain.body());
    }

    /** Stores the entry of {@code path}, with its tag (the cache tags what it stores: it comes with the first hit). */
    private String storeTagThenFail(Container.Deployed app, String path) throws Exception {
        get(app, path);
        String etag = get(app, path).headers().firstValue("ETag").orElseThrow();
        outage.clock.advance(Duration.ofSeconds(61));
        outage.mode = Outage.Mode.ANSWERS_503;
        return etag;
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void conditionalRequestOnAStaleOnErrorAnswerIsNotModifiedWithTheStoredTag(Side side) throws Exception {
        Container.Deployed app = deploy();
        String etag = storeTagThenFail(app, side.path("/window/8"));
        HttpResponse<String> notModified = get(app, side.path("/window/8"), "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals(etag, header(notModified, "ETag"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void headOnAStaleOnErrorAnswerIsTheStoredStatusWithoutABody(Side side) throws Exception {
        Container.Deployed app = deploy();
        storeTagThenFail(app, side.path("/window/11"));
        HttpResponse<String> head = send(app, "HEAD", side.path("/window/11"));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("STALE", cache(head));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void invalidatedEntryIsNeverServedStale(Side side) throws Exception {
        Container.Deployed app = deploy();
        storeThenExpire(app, side.path("/window/9"));
        ResponseCacheInvalidator invalidator =
                (ResponseCacheInvalidator) app.servletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        invalidator.evictPath(app.base().resolve(side.path("/window/9")).getRawPath());
        outage.mode = Outage.Mode.ANSWERS_503;
        HttpResponse<String> error = get(app, side.path("/window/9"));
        assertEquals(503, error.statusCode());
        assertEquals("backend down", error.body());
        assertNotEquals("STALE", cache(error));
    }

    /** Collects the messages the library logs at {@code level} or above about {@code path} while open. */
    private static final class PathLog extends Handler implements AutoCloseable {
        // Held, so that the logger the handler is added to stays the one the library logs to.
        private final Logger logger = Logger.getLogger("dev.responsecache");
        private final List<String> messages = new CopyOnWriteArrayList<>();
        private final String path;
        private final Level level;

        PathLog(String path, Level level) {
            this.path = path;
            this.level = level;
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getLevel().intValue() >= level.intValue() && message != null && message.contains(path)) {
                messages.add(message);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void outageIsLoggedOncePerOutageNotPerRequest(Side side) throws Exception {
        Container.Deployed app = deploy();
        String path = app.base().resolve(side.path("/window/10")).getRawPath();
        try (PathLog warnings = new PathLog(path, Level.WARNING); PathLog all = new PathLog(path, Level.INFO)) {
            storeThenExpire(app, side.path("/window/10"));
            outage.mode = Outage.Mode.ANSWERS_503;
            for (int i = 0; i < 3; i++) {
                assertEquals("STALE", cache(get(app, side.path("/window/10"))));
            }
            // A stale answer the runtime writes is counted, and its outage logged, as the request leaves the
            // library's filter in front, which may be just after the client has it.
            ContractSuite.awaitUntil(() -> !warnings.messages.isEmpty(), Duration.ofSeconds(30),
                    () -> "the outage was never logged");
            assertEquals(1, warnings.messages.size(), warnings.messages::toString);
            assertTrue(warnings.messages.get(0).contains("503"), warnings.messages::toString);
            outage.mode = Outage.Mode.OK;
            assertEquals("MISS", cache(get(app, side.path("/window/10"))));
            // The outage ends as the answer is stored, which may be just after the client has it: a request sent in
            // between still belongs to the outage.
            ContractSuite.awaitUntil(() -> all.messages.stream().anyMatch(message -> message.contains("answers again")),
                    Duration.ofSeconds(30), () -> "the outage never ended: " + all.messages);
            outage.clock.advance(Duration.ofSeconds(61));
            outage.mode = Outage.Mode.ANSWERS_503;
            assertEquals("STALE", cache(get(app, side.path("/window/10"))));
            ContractSuite.awaitUntil(() -> warnings.messages.size() >= 2, Duration.ofSeconds(30),
                    () -> "a new outage is logged again: " + warnings.messages);
            assertEquals(2, warnings.messages.size(), "a new outage is logged again: " + warnings.messages);
        }
    }
}
