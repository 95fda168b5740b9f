package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.OnItsOwnThread;
import dev.responsecache.testing.RedisProcess;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * The single server's hits, read through one pipelined connection ({@link PipelinedReads}): every caller gets its
 * own key's value however many read at once, a late or cut connection gives misses counted as a pooled read's would
 * and is made again, the login and database still apply, and closing the store ends its reader thread.
 */
class PipelinedReadsIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** The read timeout of the half-written pipelines, on the test's clock: it passes only when the test says. */
    private static final Duration HALF_WRITTEN_TIMEOUT = Duration.ofSeconds(10);

    private final String prefix = RedisApps.uniquePrefix();

    @Test
    void pipelinedReadsNeverHandOneKeysValueToAnotherRequest() throws Exception {
        // A patient timeout: under load a reply may be late, and a late reply is a miss this test would take for a
        // mismatch; the timeouts have tests of their own below.
        RedisStore store = open(redis.uri(), Map.of(ResponseCacheProperties.REDIS_READ_TIMEOUT, "20s"),
                System::nanoTime);
        int present = 300;
        try {
            for (int i = 0; i < present; i++) {
                store.put(entry(i));
            }
            try (Jedis direct = new Jedis(URI.create(redis.uri()))) {
                direct.rpush(new RedisKeys(prefix).of(key(-1)), "another type".getBytes(StandardCharsets.UTF_8));
            }
            // The connection is made by the first read; reads arriving while it is made would take the pool meanwhile.
            assertNotNull(store.get(key(0)));
            int threads = 8;
            int readsEach = 25_000;
            AtomicLong wrongTypes = new AtomicLong();
            ExecutorService readers = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = t;
                    done.add(readers.submit(() -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        for (int r = 0; r < readsEach; r++) {
                            // Two thirds present, one in six absent, one in six the list at our key.
                            int pick = random.nextInt(present * 3 / 2);
                            if (pick >= present + present / 4) {
                                assertNull(store.get(key(-1)));
                                wrongTypes.incrementAndGet();
                            } else if (pick >= present) {
                                assertNull(store.get(key(present + pick)), "absent key read as present");
                            } else {
                                CacheEntry read = store.get(key(pick));
                                assertNotNull(read, () -> "present key " + pick + " read as a miss: "
                                        + store.faultCounts());
                                assertEquals(key(pick), read.key());
                                assertArrayEquals(body(pick), bodyOf(read));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> reader : done) {
                    reader.get();
                }
            } finally {
                readers.shutdownNow();
            }
            Map<String, Long> faults = store.faultCounts();
            assertEquals(wrongTypes.get(), faults.get(StoreFaults.UNUSABLE_VALUE), faults::toString);
            assertEquals(0L, faults.get(StoreFaults.TIMEOUT), faults::toString);
            assertEquals(0L, faults.get(StoreFaults.CONNECTION), faults::toString);
            assertEquals(0L, faults.get(StoreFaults.POOL_BUSY), faults::toString);
        } finally {
            store.close();
        }
    }

    /**
     * Replies held far beyond the read timeout (a minute, 2 s allowed): the waiting reads are misses counted as
     * timeouts, which can only mean they gave up within their bound; once replies flow again reads hit again.
     */
    @Test
    void repliesHeldBeyondTheReadTimeoutAreTimedOutMissesAndReadsRecoverOnceRepliesFlow() throws Exception {
        AtomicLong jumped = new AtomicLong();
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()))) {
            relay.open();
            RedisStore store = open("redis://127.0.0.1:" + relay.port(),
                    // Far below the held replies; a loaded machine's reply later than this is a fault, the first put
                    // and read asked again.
                    Map.of(ResponseCacheProperties.REDIS_READ_TIMEOUT, "2s"),
                    () -> System.nanoTime() + jumped.get());
            try {
                Eventually.until(() -> {
                    store.put(entry(1));
                    return store.get(key(1)) != null;
                }, DEADLINE, () -> "the entry was never stored and read");

                relay.delayReplies(Duration.ofMinutes(1));
                ExecutorService readers = Executors.newFixedThreadPool(4);
                try {
                    List<Future<CacheEntry>> held = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        held.add(readers.submit(() -> store.get(key(1))));
                    }
                    for (Future<CacheEntry> read : held) {
                        assertNull(read.get());
                    }
                } finally {
                    readers.shutdownNow();
                }
                Map<String, Long> faults = store.faultCounts();
                assertTrue(faults.get(StoreFaults.TIMEOUT) >= 1, faults::toString);

                relay.delayReplies(Duration.ZERO);
                // Past any cool-down the breaker may have started.
                jumped.addAndGet(Duration.ofHours(1).toNanos());
                Eventually.until(() -> store.get(key(1)) != null, DEADLINE, () -> "reads never hit again");
            } finally {
                store.close();
            }
        }
    }

    @Test
    void cutConnectionIsMadeAgainByTheNextReads() throws Exception {
        AtomicLong jumped = new AtomicLong();
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()))) {
            relay.open();
            RedisStore store = open("redis://127.0.0.1:" + relay.port(), Map.of(),
                    () -> System.nanoTime() + jumped.get());
            try {
                store.put(entry(2));
                assertNotNull(store.get(key(2)));
                long sent = relay.requestBytes();

                relay.cut();
                relay.open();
                jumped.addAndGet(Duration.ofHours(1).toNanos());
                Eventually.until(() -> store.get(key(2)) != null, DEADLINE, () -> "reads never hit again");
                assertTrue(relay.requestBytes() > sent);
            } finally {
                store.close();
            }
        }
    }

    /**
     * A pipeline held half-written: one read's GET written and its reply held, another's queued behind it, then the
     * connection cut. The written one misses; the queued one was never sent, so it reads through the pool instead.
     * The store's clock stands still: no read times out unless the test moves it.
     */
    @Test
    void getsNeverWrittenBeforeThePipelinedConnectionBrokeAreReadThroughThePool() throws Exception {
        SteppedNanos nanos = new SteppedNanos();
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()))) {
            relay.open();
            RedisStore store = halfWrittenPipeline(relay, nanos, 5);
            long sentBefore = relay.requestBytes();
            try {
                OnItsOwnThread<CacheEntry> written = reading(store, key(6));
                Eventually.until(() -> relay.requestBytes() > sentBefore, DEADLINE, () -> "the GET was never written");
                OnItsOwnThread<CacheEntry> queued = reading(store, key(7));
                awaitQueued(queued);

                relay.cutHeldConnections();

                assertNull(written.get(DEADLINE), "its reply was lost with the connection: a miss");
                CacheEntry read = queued.get(DEADLINE);
                assertNotNull(read, () -> "the GET never written was not read through the pool: "
                        + store.faultCounts());
                assertArrayEquals(body(7), bodyOf(read));
                Map<String, Long> faults = store.faultCounts();
                assertEquals(1L, faults.get(StoreFaults.CONNECTION), "the cut counted once: " + faults);
                assertEquals(0L, faults.get(StoreFaults.TIMEOUT), faults::toString);
            } finally {
                store.close();
            }
        }
    }

    /**
     * As above, but the queued read's own timeout has passed (on the store's clock, moved without waking it) when the
     * connection is cut: it misses rather than wait on the pool past its timeout.
     */
    @Test
    void getNeverWrittenWhoseCallerIsPastItsTimeoutMissesWithoutAPooledRead() throws Exception {
        SteppedNanos nanos = new SteppedNanos();
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()))) {
            relay.open();
            RedisStore store = halfWrittenPipeline(relay, nanos, 8);
            long sentBefore = relay.requestBytes();
            try {
                OnItsOwnThread<CacheEntry> written = reading(store, key(9));
                Eventually.until(() -> relay.requestBytes() > sentBefore, DEADLINE, () -> "the GET was never written");
                OnItsOwnThread<CacheEntry> queued = reading(store, key(10));
                awaitQueued(queued);
                nanos.set(nanos.now() + HALF_WRITTEN_TIMEOUT.toNanos() + 1);
                long sent = relay.requestBytes();

                relay.cutHeldConnections();

                assertNull(written.get(DEADLINE));
                assertNull(queued.get(DEADLINE), "past its timeout: a miss");
                assertEquals(sent, relay.requestBytes(), "no pooled read after the caller's timeout");
                Map<String, Long> faults = store.faultCounts();
                assertEquals(1L, faults.get(StoreFaults.CONNECTION), faults::toString);
                assertEquals(1L, faults.get(StoreFaults.TIMEOUT), "the late caller's miss is its timeout: " + faults);
            } finally {
                store.close();
            }
        }
    }

    /**
     * A GET left unwritten when the pipelined connection broke reads through the pool within what is left of its read
     * timeout, not a whole timeout more: here five milliseconds are left (on the store's clock) and the server's
     * replies are held for an hour, so the pooled read times out. The read timeout is ten minutes, real time too for
     * a pooled socket: a pooled read with the whole timeout would outlast the test.
     */
    @Test
    void getNeverWrittenBeforeThePipelinedConnectionBrokeReadsThroughThePoolWithinWhatIsLeftOfItsTimeout()
            throws Exception {
        SteppedNanos nanos = new SteppedNanos();
        Duration timeout = Duration.ofMinutes(10);
        byte[] key = new RedisKeys(prefix).of(key(11));
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()));
             Jedis direct = new Jedis(URI.create(redis.uri()))) {
            relay.open();
            direct.set(key, body(11));
            HostAndPort address = new HostAndPort("127.0.0.1", relay.port());
            JedisClientConfig client = DefaultJedisClientConfig.builder()
                    .socketTimeoutMillis((int) timeout.toMillis()).build();
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(1);
            try (PooledConnectionProvider provider = new PooledConnectionProvider(address, client, pool);
                 PipelinedReads reads = new PipelinedReads(address, client, timeout,
                         PooledGet.bounded(provider::getConnection, (int) timeout.toMillis()), nanos)) {
                // The pool's one connection (the relay's first), idle; the pipelined connection is the second.
                try (Connection idle = provider.getConnection()) {
                    idle.ping();
                }
                assertArrayEquals(body(11), reads.get(key, null));
                assertEquals(1, relay.holdRepliesOnConnectionsAfter(1), "the pipelined connection only");
                long sentBefore = relay.requestBytes();
                OnItsOwnThread<byte[]> written = reading(reads, key);
                Eventually.until(() -> relay.requestBytes() > sentBefore, DEADLINE, () -> "the GET was never written");
                OnItsOwnThread<byte[]> queued = reading(reads, key);
                awaitQueued(queued.thread());

                nanos.set(nanos.now() + timeout.toNanos() - TimeUnit.MILLISECONDS.toNanos(5));
                relay.delayReplies(Duration.ofHours(1));
                relay.cutHeldConnections();

                Throwable broken = failure(written);
                assertFalse(broken.getCause() instanceof SocketTimeoutException, "the cut is not a timeout: " + broken);
                Throwable late = failure(queued);
                assertTrue(late.getCause() instanceof SocketTimeoutException,
                        "the pooled read gave up within the five milliseconds left: " + late);
            } finally {
                relay.delayReplies(Duration.ZERO);
            }
        }
    }

    /** A store read on a thread of its own. */
    private static OnItsOwnThread<CacheEntry> reading(RedisStore store, String key) {
        return OnItsOwnThread.calling("store-reader " + key, () -> store.get(key));
    }

    /** A read of the pipelined reads on a thread of its own. */
    private static OnItsOwnThread<byte[]> reading(PipelinedReads reads, byte[] key) {
        return OnItsOwnThread.calling("pipelined-reader", () -> reads.get(key, null));
    }

    /** The JedisConnectionException {@code read} ended with. */
    private static Throwable failure(OnItsOwnThread<byte[]> read) {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> read.get(DEADLINE));
        return assertInstanceOf(JedisConnectionException.class, failed.getCause());
    }

    /**
     * A store reading through {@code relay}, entries {@code first} to {@code first + 2} stored and its pipelined
     * connection made by a hit on the first: from now on that connection's replies are held, the pool's are not.
     */
    private RedisStore halfWrittenPipeline(TcpRelay relay, SteppedNanos nanos, int first) {
        RedisStore store = open("redis://127.0.0.1:" + relay.port(),
                Map.of(ResponseCacheProperties.REDIS_READ_TIMEOUT, HALF_WRITTEN_TIMEOUT.toMillis() + "ms"), nanos);
        for (int i = first; i < first + 3; i++) {
            store.put(entry(i));
        }
        int pooled = relay.connections();
        assertNotNull(store.get(key(first)));
        assertEquals(1, relay.holdRepliesOnConnectionsAfter(pooled), "the pipelined connection only");
        return store;
    }

    /**
     * Waits for the reader to wait on the pipelined connection: its GET was queued before it parked, and stays
     * unwritten while a reply is owed (only the connection's reader writes it, once that reply is in).
     */
    private static void awaitQueued(OnItsOwnThread<?> reader) {
        awaitQueued(reader.thread());
    }

    private static void awaitQueued(Thread reader) {
        Eventually.until(() -> LockSupport.getBlocker(reader) instanceof PipelinedConnection, DEADLINE,
                () -> "the read never waited on the pipelined connection: " + reader.getState());
    }

    /** A monotonic clock that moves only when the test says. */
    private static final class SteppedNanos implements LongSupplier {

        private final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long getAsLong() {
            return now.get();
        }

        long now() {
            return now.get();
        }

        void set(long time) {
            now.set(time);
        }
    }

    /** An ACL user and a database other than 0: the pipelined connection logs in and selects it as the pool does. */
    @Test
    void pipelinedReadsLogInAsTheAclUserAndReadTheConfiguredDatabase() throws Exception {
        try (RedisProcess acl = RedisProcess.plain(Files.createTempDirectory("redis-acl"),
                "--user", "default", "off", "--user", "app", "on", ">s3cret", "~*", "+@all")) {
            RedisStore store = open("redis://app:s3cret@127.0.0.1:" + acl.port() + "/3", Map.of(), System::nanoTime);
            try {
                store.put(entry(3));
                CacheEntry read = store.get(key(3));
                assertNotNull(read, () -> store.faultCounts().toString());
                assertArrayEquals(body(3), bodyOf(read));
                try (Jedis direct = acl.client()) {
                    direct.auth("app", "s3cret");
                    String clients = direct.clientList();
                    assertTrue(clients.lines().anyMatch(line -> line.contains(" name=response-cache ")
                            && line.contains(" db=3 ") && line.contains(" cmd=get ")), clients);
                    direct.select(3);
                    assertTrue(direct.exists(new RedisKeys(prefix).of(key(3))));
                    direct.select(0);
                    assertEquals(false, direct.exists(new RedisKeys(prefix).of(key(3))));
                }
            } finally {
                store.close();
            }
        }
    }

    @Test
    void closingTheStoreEndsItsPipelineReaderThread() {
        RedisStore store = open(redis.uri(), Map.of(), System::nanoTime);
        store.put(entry(4));
        assertNotNull(store.get(key(4)));
        String name = "response-cache-redis-reader 127.0.0.1:" + URI.create(redis.uri()).getPort();
        assertTrue(readerThreads(name) >= 1);
        store.close();
        Eventually.until(() -> readerThreads(name) == 0, DEADLINE, () -> "the reader thread outlived the store");
    }

    private static long readerThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive())
                .count();
    }

    private RedisStore open(String uri, Map<String, String> extra, LongSupplier nanoTime) {
        Map<String, Object> properties = new HashMap<>(extra);
        // Far beyond any normal reply (the default is 200 ms): on a loaded machine only a Redis that does not answer
        // may make a read miss. A test of timeouts sets its own.
        properties.putIfAbsent(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        properties.put(ResponseCacheProperties.REDIS_URI, uri);
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        return RedisConnections.open(RedisSettings.from(new PropertyValues(properties::get)), Clock.systemUTC(),
                nanoTime);
    }

    private static String key(int i) {
        return "GET /items/" + i;
    }

    private static byte[] body(int i) {
        return ("item " + i + " ".repeat(i % 97)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bodyOf(CacheEntry entry) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        try {
            entry.writeBody(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return body.toByteArray();
    }

    private static CacheEntry entry(int i) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key(i), 200, List.of(new Header("Content-Type", "text/plain")), body(i), now,
                now + 3_600_000, List.of());
    }
}
