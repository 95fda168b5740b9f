package dev.responsecache.benchmarks;

import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.CacheEntry;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Bytes held per entry of the realistic 10 KiB JSON document with {@code responsecache.compress} off and on: heap
 * growth per entry on the Ehcache store (as {@link HeapPerEntry} measures it), and {@code MEMORY USAGE} of each
 * entry's key on a Redis server this program starts (plus the growth of the server's {@code used_memory} per entry,
 * which includes the tag index). Arguments: {@code [ehcache entries] [redis entries]} (default 5000 and 2000).
 */
final class CompressedEntrySize {

    private CompressedEntrySize() {
    }

    public static void main(String[] args) throws InterruptedException {
        Logging.quiet();
        int heapEntries = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int redisEntries = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        List<Catalog.Product> products = Catalog.page("garden");
        for (String compress : List.of("off", "gzip")) {
            double heap = heapPerEntry(compress, heapEntries, products);
            System.out.printf(Locale.ROOT, "compress=%s, Ehcache heap per realistic entry (%d entries): %.0f bytes%n",
                    compress, heapEntries, heap);
        }
        try (RedisProcess redis = RedisProcess.start();
             JedisPooled client = new JedisPooled(URI.create(redis.uri()))) {
            for (String compress : List.of("off", "gzip")) {
                long before = usedMemory(client);
                long[] usage = redisUsage(redis.uri(), client, compress, redisEntries, products);
                long after = usedMemory(client);
                System.out.printf(Locale.ROOT, "compress=%s, Redis MEMORY USAGE per realistic entry (%d entries): "
                        + "%.0f bytes (body %d bytes held); used_memory growth per entry %.0f bytes%n", compress,
                        redisEntries, (double) usage[0] / usage[1], usage[2], (double) (after - before) / redisEntries);
            }
        }
    }

    private static byte[] document(List<Catalog.Product> products, int i) {
        return Catalog.json("garden-" + i, products).getBytes(StandardCharsets.UTF_8);
    }

    private static double heapPerEntry(String compress, int entries, List<Catalog.Product> products) {
        try (ResponseCache cache = Fixtures.cache("ehcache", Map.of("responsecache.compress", compress,
                "responsecache.ehcache.max-entries", Integer.toString(entries)))) {
            CachePolicy policy = Fixtures.policy(cache);
            BenchRequest[] requests = new BenchRequest[entries];
            for (int i = 0; i < entries; i++) {
                requests[i] = BenchRequest.get("/api/realistic-cached/" + i, null);
            }
            long before = usedAfterGc();
            for (int i = 0; i < entries; i++) {
                // Made here, as the method makes it: what the entry does not keep (a compressed one) is garbage.
                Fixtures.store(cache, policy, requests[i], document(products, i));
            }
            long after = usedAfterGc();
            for (BenchRequest request : requests) {
                if (!cache.lookup(policy, request).answered()) {
                    throw new IllegalStateException("an entry was evicted: the figure would mean nothing");
                }
            }
            return (double) (after - before) / entries;
        }
    }

    /** Sum of MEMORY USAGE over the entry keys, the count, and the body bytes of the last entry. */
    private static long[] redisUsage(String uri, JedisPooled client, String compress, int entries,
                                     List<Catalog.Product> products) {
        String prefix = "size-" + compress + ":";
        try (ResponseCache cache = Fixtures.cache("redis", Map.of("responsecache.compress", compress,
                "responsecache.redis.uri", uri, "responsecache.redis.key-prefix", prefix))) {
            CachePolicy policy = Fixtures.policy(cache);
            CacheEntry last = null;
            for (int i = 0; i < entries; i++) {
                last = Fixtures.store(cache, policy, BenchRequest.get("/api/realistic-cached/" + i, null),
                        document(products, i));
            }
            long total = 0;
            int counted = 0;
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(prefix + "v*").count(1000);
            do {
                ScanResult<String> page = client.scan(cursor, match);
                for (String key : page.getResult()) {
                    Long usage = client.memoryUsage(key);
                    if (usage != null && client.type(key).equals("string")) {
                        total += usage;
                        counted++;
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return new long[] {total, counted, last.storedBodyLength()};
        }
    }

    private static long usedMemory(JedisPooled client) {
        String info = client.info("memory");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
