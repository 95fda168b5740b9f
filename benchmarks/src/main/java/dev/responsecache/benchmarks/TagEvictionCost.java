package dev.responsecache.benchmarks;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.ResponseStore;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * What invalidation costs on a real Redis, through the store SPI: evicting one tag that covers N entries (time and
 * the commands Redis ran, from {@code INFO commandstats}), and what tags add to a store and to a hit. Each entry is
 * stored as a miss stores it: tagged with its path, its URL and one user tag (the store adds the all-entries tag).
 * Prints medians over the rounds; asserts nothing (the ITs do).
 *
 * <p>{@code TagEvictionCost [entries=10000] [rounds=5]}; {@code REDIS_URL} names a server of one's own.
 */
final class TagEvictionCost {

    private TagEvictionCost() {
    }

    public static void main(String[] args) {
        Logging.quiet();
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] body = Fixtures.body(Fixtures.SMALL_BODY, 1);
        List<Long> evictNanos = new ArrayList<>();
        List<Long> plainStoreNanos = new ArrayList<>();
        List<Long> taggedStoreNanos = new ArrayList<>();
        List<Long> plainHitNanos = new ArrayList<>();
        List<Long> taggedHitNanos = new ArrayList<>();
        Map<String, Long> evictCommands = Map.of();
        Map<String, Long> taggedStoreCommands = Map.of();
        Map<String, Long> hitCommands = Map.of();
        try (StoreUnderTest redis = new StoreUnderTest("redis"); ResponseStore store = redis.openStore();
             UnifiedJedis admin = new UnifiedJedis(URI.create(redis.redisUri()))) {
            for (int round = 0; round < rounds; round++) {
                String prefix = "r" + round + ":";
                long start = System.nanoTime();
                for (int i = 0; i < entries; i++) {
                    store.put(entry(prefix + "plain" + i, body));
                }
                plainStoreNanos.add((System.nanoTime() - start) / entries);

                resetStats(admin);
                start = System.nanoTime();
                for (int i = 0; i < entries; i++) {
                    String path = "/" + prefix + "p/" + i;
                    store.put(entry(prefix + "k" + i, body), Set.of(path, path + "?0", "big" + round),
                            store.invalidationMark());
                }
                taggedStoreNanos.add((System.nanoTime() - start) / entries);
                taggedStoreCommands = perCall(commands(admin), entries);

                start = System.nanoTime();
                for (int i = 0; i < entries; i++) {
                    store.get(prefix + "plain" + i);
                }
                plainHitNanos.add((System.nanoTime() - start) / entries);
                resetStats(admin);
                start = System.nanoTime();
                for (int i = 0; i < entries; i++) {
                    store.get(prefix + "k" + i);
                }
                taggedHitNanos.add((System.nanoTime() - start) / entries);
                hitCommands = perCall(commands(admin), entries);

                resetStats(admin);
                start = System.nanoTime();
                long removed = store.evict(Set.of("big" + round));
                evictNanos.add(System.nanoTime() - start);
                evictCommands = commands(admin);
                if (removed != entries) {
                    throw new IllegalStateException("evicted " + removed + " of " + entries);
                }
            }
        }
        System.out.printf("evicting one tag of %d entries: median %.1f ms over %d rounds %s; commands %s%n", entries,
                median(evictNanos) / 1e6, rounds, millis(evictNanos), evictCommands);
        System.out.printf("store, untagged (SET): median %.1f us; tagged (mark, 3 tags + all-entries): median %.1f us;"
                + " commands per tagged store %s%n", median(plainStoreNanos) / 1e3, median(taggedStoreNanos) / 1e3,
                taggedStoreCommands);
        System.out.printf("hit (GET) of an untagged entry: median %.1f us; of a tagged entry: median %.1f us;"
                + " commands per hit %s%n", median(plainHitNanos) / 1e3, median(taggedHitNanos) / 1e3, hitCommands);
    }

    private static void resetStats(UnifiedJedis admin) {
        admin.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
    }

    private static Map<String, Long> commands(UnifiedJedis admin) {
        Map<String, Long> calls = new TreeMap<>();
        Matcher line = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)").matcher(admin.info("commandstats"));
        while (line.find()) {
            if (!Set.of("info", "config", "ping", "hello", "client", "auth", "select").contains(line.group(1))) {
                calls.put(line.group(1), Long.parseLong(line.group(2)));
            }
        }
        return calls;
    }

    private static Map<String, Long> perCall(Map<String, Long> commands, int calls) {
        Map<String, Long> each = new TreeMap<>();
        commands.forEach((name, count) -> each.put(name, Math.round((double) count / calls)));
        return each;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<String> millis(List<Long> nanos) {
        List<String> shown = new ArrayList<>();
        nanos.forEach(value -> shown.add(String.format("%.1f", value / 1e6)));
        return shown;
    }

    /** A 200 entry with {@code body}, fresh for ten minutes, in the documented layout (docs/ENTRY_FORMAT.md). */
    private static CacheEntry entry(String key, byte[] body) {
        long now = System.currentTimeMillis();
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + 8 + 8 + 8 + 8 + 2 + 4 + keyBytes.length + 2 + 2 + 2 + 1 + 1 + 4
                + body.length + 4);
        out.put(new byte[] {'R', 'C', 'E', EntryCodec.VERSION}).putLong(now).putLong(now + 600_000);
        out.putLong(0).putLong(0);
        out.putShort((short) 200).putInt(keyBytes.length).put(keyBytes);
        out.putShort((short) 0).putShort((short) 0).putShort((short) 0); // no headers, vary values, tags
        out.put((byte) 0); // the ETag origin: no derived tag
        out.put((byte) 0); // content coding: the identity body
        out.putInt(body.length).put(body);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return EntryCodec.decode(out.array());
    }
}
