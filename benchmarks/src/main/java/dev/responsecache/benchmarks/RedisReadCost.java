package dev.responsecache.benchmarks;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.ResponseStore;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.csc.Cache;
import redis.clients.jedis.csc.DefaultCache;

/**
 * What one read of a 1 KiB entry costs the application's process when many threads read at once, for several ways of
 * reading it from a real Redis: Jedis's own pooled {@code GET} (the floor for a round trip), the store's
 * {@link ResponseStore#get} (that {@code GET} plus the key digest, the circuit breaker and the decoding), and Jedis's
 * RESP3 client-side cache ({@code CacheConfig}, server-assisted invalidation) followed by the decoding a store would
 * need; Jedis's {@code GET} without a read timeout (a blocking read: one system call where a read with a timeout makes
 * three, a read, a poll and a read again); and, for comparison, {@code GET}s handed to one thread that sends whatever
 * is waiting as one pipeline on one connection (auto-pipelining with a sender thread of its own; the store's
 * {@code get} on a single server pipelines its reads without one, {@code PipelinedReads}). Process CPU time and
 * bytes allocated per read are what load on a shared machine inflates least (bytes count the reading threads only:
 * the pipeline's sender, and the store's reader thread, allocate the replies); the {@code redis-server}'s CPU per
 * read is read from {@code /proc} where there is one. Jedis's cache refuses servers older than Redis 7.4; the measurement turns that check off to run
 * against the server the benchmarks start (6.2, which has {@code CLIENT TRACKING}). Usage:
 * {@code RedisReadCost [threads=50] [seconds=3] [rounds=3]}.
 */
final class RedisReadCost {

    private static final String KEY = "GET /api/products/12345";

    /**
     * One measurement: reads per second, process CPU and bytes allocated per read, and the reads that found nothing
     * (the store's circuit breaker turns a Redis too slow to answer within its timeout into misses).
     */
    record Result(String client, int threads, double readsPerSecond, double cpuMicrosPerRead, long bytesPerRead,
                  long misses, double serverCpuMicrosPerRead) {

        String line() {
            return String.format(Locale.ROOT, "%-28s threads=%-3d %9.0f reads/s %7.2f us CPU/read %6d B/read"
                    + " %d misses, redis-server %.2f us CPU/read", client, threads, readsPerSecond,
                    cpuMicrosPerRead, bytesPerRead, misses, serverCpuMicrosPerRead);
        }
    }

    private RedisReadCost() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        long millis = args.length > 1 ? Long.parseLong(args[1]) * 1000 : 3000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (Result result : measure(threads, millis, rounds)) {
            System.out.println(result.line());
        }
    }

    /** Every client in turn, {@code rounds} times over, each for {@code millis} with {@code threads} readers. */
    static List<Result> measure(int threads, long millis, int rounds) throws InterruptedException {
        List<Result> results = new ArrayList<>();
        try (StoreUnderTest redis = new StoreUnderTest("redis")) {
            ResponseStore store = redis.openStore();
            long now = System.currentTimeMillis();
            CacheEntry entry = new CacheEntry(KEY, 200, List.of(new Header("Content-Type", "application/json")),
                    Bodies.ONE_KIB, now, now + 3_600_000, List.of());
            store.put(entry);
            byte[] rawKey = "raw".getBytes(StandardCharsets.US_ASCII);
            URI uri = URI.create(redis.redisUri());
            HostAndPort address = new HostAndPort(uri.getHost(), uri.getPort());
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(64);
            pool.setMaxIdle(64);
            pool.setJmxEnabled(false);
            Cache tracked = new DefaultCache(1000) {
                @Override
                public boolean compatibilityMode() {
                    return true;
                }
            };
            try (JedisPooled jedis = new JedisPooled(address, DefaultJedisClientConfig.builder().build(), pool);
                 JedisPooled untimed = new JedisPooled(address,
                         DefaultJedisClientConfig.builder().socketTimeoutMillis(0).build(), pool);
                 PipelinedGets pipelined = new PipelinedGets(address);
                 UnifiedJedis clientSide = new UnifiedJedis(address,
                         DefaultJedisClientConfig.builder().resp3().build(), tracked)) {
                jedis.set(rawKey, EntryCodec.encode(entry));
                for (int round = 0; round < rounds; round++) {
                    results.add(run("jedis GET", threads, millis, () -> jedis.get(rawKey)));
                    results.add(run("jedis GET, no read timeout", threads, millis, () -> untimed.get(rawKey)));
                    results.add(run("store get", threads, millis, () -> store.get(KEY)));
                    results.add(run("pipelined GET", threads, millis, () -> pipelined.get(rawKey)));
                    results.add(run("jedis client-side cache", threads, millis,
                            () -> EntryCodec.decode(clientSide.get(rawKey))));
                }
            } finally {
                store.close();
            }
        }
        return results;
    }

    private static Result run(String client, int threads, long millis, Supplier<Object> read)
            throws InterruptedException {
        return run(client, threads, millis, i -> read.get());
    }

    /**
     * {@code threads} readers calling {@code read} for {@code millis}, each with its own running count (starting at its
     * number, so that readers of several keys spread over them); null is a miss.
     */
    static Result run(String client, int threads, long millis, IntFunction<Object> read)
            throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.ThreadMXBean counters = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong reads = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong misses = new AtomicLong();
        long started = System.nanoTime();
        long end = started + millis * 1_000_000;
        long cpuBefore = os.getProcessCpuTime();
        long serverBefore = serverCpuTicks();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread reader = new Thread(() -> {
                long allocatedBefore = counters.getCurrentThreadAllocatedBytes();
                long count = 0;
                long missed = 0;
                for (int i = first; System.nanoTime() - end < 0; i++) {
                    if (read.apply(i) == null) {
                        missed++;
                    }
                    count++;
                }
                bytes.addAndGet(counters.getCurrentThreadAllocatedBytes() - allocatedBefore);
                reads.addAndGet(count);
                misses.addAndGet(missed);
            }, "reader-" + t);
            readers.add(reader);
            reader.start();
        }
        for (Thread reader : readers) {
            reader.join();
        }
        long elapsed = System.nanoTime() - started;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long serverTicks = serverCpuTicks() - serverBefore;
        long total = Math.max(1, reads.get());
        return new Result(client, threads, total * 1e9 / elapsed, cpu / 1e3 / total, bytes.get() / total,
                misses.get(), serverTicks * 10_000.0 / total);
    }

    /**
     * The CPU time of every {@code redis-server} this JVM started, in clock ticks (utime + stime of
     * {@code /proc/<pid>/stat}, at the usual 100 a second); 0 where there is no such file.
     */
    private static long serverCpuTicks() {
        return ProcessHandle.current().children().mapToLong(server -> {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + server.pid() + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // Fields 14 and 15 of the line, counted from the state (field 3) after the command name.
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (java.io.IOException | RuntimeException unreadable) {
                return 0L;
            }
        }).sum();
    }

    /**
     * {@code GET}s handed to one sender thread, which sends whatever is waiting (up to 64) as one pipeline on one
     * connection and hands each reply back: fewer system calls on both sides than a round trip per caller.
     */
    private static final class PipelinedGets implements AutoCloseable {

        private record Waiting(byte[] key, CompletableFuture<byte[]> reply) {
        }

        private final LinkedBlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();
        private final Jedis connection;
        private final Thread sender;

        PipelinedGets(HostAndPort address) {
            connection = new Jedis(address, DefaultJedisClientConfig.builder().build());
            sender = new Thread(this::sendUntilInterrupted, "pipelined-gets");
            sender.setDaemon(true);
            sender.start();
        }

        byte[] get(byte[] key) {
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            waiting.add(new Waiting(key, reply));
            return reply.join();
        }

        private void sendUntilInterrupted() {
            List<Waiting> batch = new ArrayList<>();
            List<Response<byte[]>> replies = new ArrayList<>();
            try {
                while (true) {
                    batch.add(waiting.take());
                    waiting.drainTo(batch, 63);
                    Pipeline pipeline = connection.pipelined();
                    for (Waiting get : batch) {
                        replies.add(pipeline.get(get.key()));
                    }
                    pipeline.sync();
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).reply().complete(replies.get(i).get());
                    }
                    batch.clear();
                    replies.clear();
                }
            } catch (InterruptedException closed) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException failed) {
                batch.forEach(get -> get.reply().completeExceptionally(failed));
            }
        }

        @Override
        public void close() {
            sender.interrupt();
            try {
                sender.join();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } finally {
                connection.close();
            }
        }
    }
}
