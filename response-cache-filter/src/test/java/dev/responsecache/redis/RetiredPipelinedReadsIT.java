package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A pipelined connection retired because its server no longer serves the hits (the primary before a Sentinel
 * failover, a Cluster node that left the slot map): the read still waiting on it is not handed that server's reply
 * but reads again through the pool, and so does every later read, with no connection made again.
 */
class RetiredPipelinedReadsIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void readOwedOnARetiredConnectionReadsAgainThroughThePoolAndNoConnectionIsMadeAgain() throws Exception {
        byte[] key = ("rc-test-retired-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        URI server = URI.create(redis.uri());
        AtomicLong pooled = new AtomicLong();
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", server.getPort()));
             Jedis direct = new Jedis(server)) {
            relay.open();
            direct.set(key, bytes("before"));
            // A patient timeout: only the retirement may end the held read.
            PipelinedReads reads = new PipelinedReads(new HostAndPort("127.0.0.1", relay.port()),
                    DefaultJedisClientConfig.builder().build(), Duration.ofSeconds(60), (k, within) -> {
                        pooled.incrementAndGet();
                        return direct.get(k);
                    }, System::nanoTime);
            try {
                assertArrayEquals(bytes("before"), reads.get(key, null));
                assertEquals(1, relay.holdRepliesOnConnectionsAfter(0), "the pipelined connection only");
                long sent = relay.requestBytes();
                CompletableFuture<byte[]> owed = CompletableFuture.supplyAsync(() -> reads.get(key, null));
                Eventually.until(() -> relay.requestBytes() > sent, DEADLINE, () -> "the GET was never written");
                // What the held reply would say no longer holds: only a read made after the retirement sees this.
                direct.set(key, bytes("after"));

                reads.retire();

                assertArrayEquals(bytes("after"), owed.get(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                        "read again through the pool, not handed the retired connection's reply");
                assertEquals(1, pooled.get());
                int connections = relay.connections();
                assertArrayEquals(bytes("after"), reads.get(key, null));
                assertEquals(2, pooled.get(), "later reads go through the pool");
                assertEquals(connections, relay.connections(), "no connection made again");
            } finally {
                reads.close();
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
