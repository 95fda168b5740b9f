package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.responsecache.testing.RedisTestServer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A pipelined read handed the bytes its caller read last time gets that very array back only when Redis answers the
 * same bytes; any other answer (other bytes of the same length, another length, nothing, another type) is Redis's own.
 */
class PipelinedUnchangedRepliesIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();

    @Test
    void expectedBytesAreHandedBackOnlyWhenRedisHoldsExactlyThem() {
        URI uri = URI.create(redis.uri());
        byte[] key = (prefix + "value").getBytes(StandardCharsets.US_ASCII);
        // Longer than the reader's input buffer (8 KiB): the value arrives in several reads.
        byte[] held = filled(20_000, (byte) 'a');
        byte[] sameLengthOtherBytes = held.clone();
        sameLengthOtherBytes[held.length - 1] = 'b';
        try (Jedis direct = new Jedis(uri);
             PipelinedReads reads = new PipelinedReads(new HostAndPort(uri.getHost(), uri.getPort()),
                     DefaultJedisClientConfig.builder().build(), Duration.ofSeconds(20),
                     (k, within) -> {
                         throw new AssertionError("read through the pool");
                     }, System::nanoTime)) {
            direct.set(key, held);

            byte[] expected = held.clone();
            assertSame(expected, reads.get(key, expected));

            byte[] read = reads.get(key, sameLengthOtherBytes);
            assertNotSame(sameLengthOtherBytes, read);
            assertArrayEquals(held, read);

            byte[] shorter = Arrays.copyOf(held, 10);
            read = reads.get(key, shorter);
            assertArrayEquals(held, read);

            direct.set(key, sameLengthOtherBytes);
            read = reads.get(key, expected);
            assertNotSame(expected, read);
            assertArrayEquals(sameLengthOtherBytes, read);
            assertArrayEquals(held, expected, "the expected bytes are only ever compared");

            direct.del(key);
            assertNull(reads.get(key, expected));

            direct.rpush(key, held);
            assertThrows(JedisDataException.class, () -> reads.get(key, expected));

            // The connection stays in step after each of those: the next read gets its own key's value.
            byte[] other = (prefix + "other").getBytes(StandardCharsets.US_ASCII);
            direct.set(other, "x".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("x".getBytes(StandardCharsets.US_ASCII), reads.get(other, expected));
        }
    }

    /**
     * Many callers at once, each with its own key and expected bytes, all values of one length: a reply compared with
     * the wrong caller's expected bytes, or a copy sharing the reader's buffer, would show as another key's value.
     */
    @Test
    void concurrentReadsEachGetTheirOwnKeysBytesAndCopiesOutliveLaterReads() throws Exception {
        URI uri = URI.create(redis.uri());
        int keys = 8;
        int readsPerKey = 2_000;
        byte[][] redisKeys = new byte[keys][];
        byte[][] values = new byte[keys][];
        ExecutorService callers = Executors.newFixedThreadPool(keys);
        try (Jedis direct = new Jedis(uri);
             PipelinedReads reads = new PipelinedReads(new HostAndPort(uri.getHost(), uri.getPort()),
                     DefaultJedisClientConfig.builder().build(), Duration.ofSeconds(20),
                     (k, within) -> {
                         throw new AssertionError("read through the pool");
                     }, System::nanoTime)) {
            for (int i = 0; i < keys; i++) {
                redisKeys[i] = (prefix + "concurrent-" + i).getBytes(StandardCharsets.US_ASCII);
                values[i] = filled(1_024, (byte) ('a' + i));
                direct.set(redisKeys[i], values[i]);
            }
            // Connected before the callers start: reads arriving while it connects would go to the pool.
            assertArrayEquals(values[0], reads.get(redisKeys[0], null));
            List<Future<List<byte[]>>> results = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                int own = i;
                results.add(callers.submit(() -> {
                    List<byte[]> copies = new ArrayList<>();
                    byte[] expected = values[own].clone();
                    byte[] otherKeysBytes = values[(own + 1) % keys];
                    for (int n = 0; n < readsPerKey; n++) {
                        if (n % 2 == 0) {
                            assertSame(expected, reads.get(redisKeys[own], expected));
                        } else {
                            byte[] copy = reads.get(redisKeys[own], otherKeysBytes);
                            assertArrayEquals(values[own], copy);
                            copies.add(copy);
                        }
                    }
                    return copies;
                }));
            }
            for (int i = 0; i < keys; i++) {
                for (byte[] copy : results.get(i).get(60, TimeUnit.SECONDS)) {
                    assertArrayEquals(values[i], copy, "a copy handed out earlier still holds its own reply");
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
