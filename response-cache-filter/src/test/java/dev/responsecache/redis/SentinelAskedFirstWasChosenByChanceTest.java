package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Jedis asks the sentinels where the primary is one after another, in the order of the set it is given, and follows
 * the first that answers. The store gave it {@code Set.copyOf} of the configured sentinels, whose order changes from
 * one JVM to the next: which sentinel was asked first (a hung one, one that had not heard of a failover yet) was
 * chance. Expected: the order configured. The sentinels here hang up on every connection, so Jedis asks each once.
 */
class SentinelAskedFirstWasChosenByChanceTest {

    private static final int SENTINELS = 8;

    @Test
    void sentinelsAreAskedInTheOrderConfigured() throws Exception {
        BlockingQueue<Integer> asked = new LinkedBlockingQueue<>();
        List<ServerSocket> servers = new ArrayList<>();
        List<Thread> acceptors = new ArrayList<>();
        try {
            Set<HostAndPort> configured = new LinkedHashSet<>();
            for (int i = 0; i < SENTINELS; i++) {
                ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                servers.add(server);
                configured.add(new HostAndPort("127.0.0.1", server.getLocalPort()));
                int index = i;
                Thread acceptor = new Thread(() -> hangUpOnEveryConnection(server, index, asked), "sentinel-" + i);
                acceptor.setDaemon(true);
                acceptor.start();
                acceptors.add(acceptor);
            }
            // Patient: each sentinel is left by its hang-up, never by a timeout that a loaded machine could reach first.
            JedisClientConfig client = DefaultJedisClientConfig.builder().connectionTimeoutMillis(60_000)
                    .socketTimeoutMillis(60_000).build();
            LazySentinelProvider provider = new LazySentinelProvider("mymaster", client, new ConnectionPoolConfig(),
                    configured, client, Duration.ofSeconds(5), Duration.ofHours(1), System::nanoTime);
            try {
                assertThrows(JedisException.class, provider::getConnection, "no sentinel answered");
            } finally {
                provider.close();
            }

            // Jedis's round ends (the build fails) before any question the store asks after it.
            List<Integer> firstRound = new ArrayList<>();
            for (int i = 0; i < SENTINELS; i++) {
                firstRound.add(asked.poll(30, TimeUnit.SECONDS));
            }
            assertEquals(IntStream.range(0, SENTINELS).boxed().toList(), firstRound);
        } finally {
            for (ServerSocket server : servers) {
                server.close();
            }
            for (Thread acceptor : acceptors) {
                acceptor.join(10_000);
            }
        }
    }

    private static void hangUpOnEveryConnection(ServerSocket server, int index, BlockingQueue<Integer> asked) {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                // Counted before it is closed: Jedis asks the next sentinel only once this one hung up.
                asked.add(index);
                connection.close();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
