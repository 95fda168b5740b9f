package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.testing.CountingStoreProvider;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The early path's peek keeps its store read for the JAX-RS lookup behind it. A cache filter between them may make the
 * request wait for another request of its own key (the one running the method): the read the peek took before that
 * wait must not stand for the store after it. Taken for the store, it was a miss: the lookup behind claimed the key
 * again, unless the record of the leader's release was still there (a lossy table, one slot per key hash, which the
 * filter's own release of its key overwrites when the two keys share a slot), and ran the method a second time.
 */
class PeekedReadAfterCoalescingWaitTest {

    private static final String STATE = "test.pages";
    /** As the coalescing table places a key: one slot per key hash, 256 of them. */
    private static final int SLOTS = 256;

    private final MutableClock clock = new MutableClock();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> keys = Collections.synchronizedList(new ArrayList<>());
    private final Pages.State state = new Pages.State();
    private TestServer server;

    @AfterEach
    void stop() {
        state.release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readOfAPeekTakenBeforeACoalescingWaitIsNotTakenForTheStoreAfterIt() throws Exception {
        start();
        // A page whose filter key and method key share a slot of the coalescing table: the filter's release of its
        // key, just after the method's, overwrites the record of the method's.
        String path = null;
        Random random = new Random(7);
        for (int page = 0; page < 20 * SLOTS && path == null; page++) {
            keys.clear();
            // Two keys that differ by a fixed text keep their hashes a fixed distance apart, which may never be a
            // multiple of the table's size: a padding of random letters, some spelt encoded (the filter keys the
            // query as sent, the method decoded), makes the distance random, one chance in SLOTS per page.
            String candidate = "/api/pages/" + page + "?pad=" + padding(random);
            assertEquals("MISS", server.getText(candidate).headers().firstValue("X-Cache").orElse("none"));
            List<String> read = List.copyOf(keys);
            assertEquals(2, read.size(), "the filter's key, then the method's: " + read);
            if (slot(read.get(0)) == slot(read.get(1))) {
                path = candidate;
            }
        }
        assertTrue(path != null, "no page whose two keys share a slot");
        int callsBefore = state.calls.get();
        clock.advance(Duration.ofSeconds(61));

        state.gated = path.substring(path.lastIndexOf('/') + 1, path.indexOf('?'));
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> leader = client.sendAsync(server.request(path).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(state.entered.await(30, TimeUnit.SECONDS), "the leader never ran the method");
        int readsBefore = reads.get();
        CompletableFuture<HttpResponse<String>> follower = client.sendAsync(server.request(path).build(),
                HttpResponse.BodyHandlers.ofString());
        // The follower's peek read the expired entry, and its filter read its own key: it is about to wait for the
        // leader's filter (or to find it just released), its peek's read taken before the leader stored.
        Eventually.until(() -> reads.get() >= readsBefore + 2, Duration.ofSeconds(30),
                () -> "the follower never read the store: " + keys);
        state.release.countDown();

        assertEquals(200, leader.get(30, TimeUnit.SECONDS).statusCode());
        HttpResponse<String> followed = follower.get(30, TimeUnit.SECONDS);
        assertEquals(200, followed.statusCode());
        assertEquals(1, state.calls.get() - callsBefore, "the method ran again for the follower: "
                + followed.headers().firstValue("Cache-Status").orElse("none"));
        assertEquals("HIT", followed.headers().firstValue("X-Cache").orElse("none"));
    }

    /**
     * A leader that takes its lease at once waits for nobody: the read its peek kept still stands for the store, and
     * the lookup behind takes it as it does without leases (beside the lease's own read, under the lease, of what
     * another instance may have stored meanwhile). Dropped on every miss of a store with leases (Redis), it cost
     * every such miss a store read more.
     */
    @Test
    void peekedReadIsKeptWhenTheLeaseIsTakenWithoutWaiting() {
        start(new LeasesTakenAtOnce());
        String path = "/api/pages/1";
        assertEquals("MISS", server.getText(path).headers().firstValue("X-Cache").orElse("none"));
        clock.advance(Duration.ofSeconds(61));
        keys.clear();

        assertEquals("MISS", server.getText(path).headers().firstValue("X-Cache").orElse("none"));
        List<String> read = List.copyOf(keys);
        // The peek reads the method's key; the filter reads its own, and again under its lease; the method's lookup
        // takes the peek's read, and reads its key again under its lease.
        assertEquals(4, read.size(), "store reads of one expired miss: " + read);
        assertEquals(List.of(read.get(0), read.get(1), read.get(1), read.get(0)), read,
                "the method's key read once by the peek and once under its lease: " + read);
    }

    /** The leases of a store no other instance contends on: each is taken at once. */
    private static final class LeasesTakenAtOnce implements KeyLeases {
        @Override
        public Contender contend(String key) {
            return new Contender() {
                @Override
                public long tryTake(String token, Duration duration) {
                    return TAKEN;
                }

                @Override
                public boolean awaitRelease(long nanos) {
                    throw new AssertionError("a lease taken at once is never waited for");
                }

                @Override
                public void close() {
                    // nothing to stop listening to
                }
            };
        }

        @Override
        public void release(String key, String token) {
            // taken by nobody else
        }
    }

    private static String padding(Random random) {
        StringBuilder padding = new StringBuilder();
        for (int letters = 1 + random.nextInt(8); letters > 0; letters--) {
            char letter = (char) ('a' + random.nextInt(26));
            padding.append(random.nextBoolean() ? "%" + Integer.toHexString(letter).toUpperCase(Locale.ROOT) : letter);
        }
        return padding.toString();
    }

    private static int slot(String key) {
        return key.hashCode() & (SLOTS - 1);
    }

    private void start() {
        start(null);
    }

    private void start(KeyLeases leases) {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResourceAsPath(Paths.get("src/test/resources/webapps/peek-wait").toAbsolutePath());
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setAttribute(ResponseCacheProperties.CLOCK, clock);
        webapp.setAttribute(CountingStoreProvider.READS, reads);
        webapp.setAttribute(CountingStoreProvider.KEYS, keys);
        webapp.setAttribute(STATE, state);
        if (leases != null) {
            webapp.setAttribute(CountingStoreProvider.LEASES, leases);
        }
        server = TestServer.of(webapp).start();
    }

    /** Pages cached by the method; the gated page's method waits, once entered, until the test releases it. */
    @Path("pages/{page}")
    public static final class Pages {

        static final class State {
            final AtomicInteger calls = new AtomicInteger();
            final CountDownLatch entered = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            volatile String gated;
        }

        @Context
        private ServletContext context;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page(@PathParam("page") String page) throws InterruptedException {
            State state = (State) context.getAttribute(STATE);
            int call = state.calls.incrementAndGet();
            if (page.equals(state.gated)) {
                state.entered.countDown();
                assertTrue(state.release.await(30, TimeUnit.SECONDS));
            }
            return "page " + page + " call " + call;
        }
    }
}
