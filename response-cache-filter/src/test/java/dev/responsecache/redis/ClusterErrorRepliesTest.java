package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A Cluster node's error replies on a pipelined connection: each is its own caller's only (the next caller gets its
 * own reply, the connection stays in use), and those that name another node ({@code MOVED}, {@code ASK}) send the
 * caller to Jedis's Cluster client ({@link ClusterPipelinedReads#servedElsewhere}); the others stay the key's own, as
 * that client would answer them too.
 */
class ClusterErrorRepliesTest {

    private static final byte[] KEY = "k".getBytes(StandardCharsets.US_ASCII);

    private StandInRedis standIn;

    @BeforeEach
    void connect() throws Exception {
        standIn = new StandInRedis(TimeUnit.SECONDS.toNanos(60), System::nanoTime);
    }

    @AfterEach
    void close() throws Exception {
        standIn.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MOVED 3999 127.0.0.1:6381|true",
        "ASK 3999 127.0.0.1:6381|true",
        "TRYAGAIN Multiple keys request during rehashing of slot|false",
        "CLUSTERDOWN The cluster is down|false",
        "CLUSTERDOWN Hash slot not served|false",
        "WRONGTYPE Operation against a key holding the wrong kind of value|false",
        "ERR unknown command|false"})
    void errorReplyIsItsCallersOnlyAndSaysWhetherTheClusterClientReadsAgain(String error, boolean elsewhere)
            throws Exception {
        CompletableFuture<byte[]> first = readInTheBackground();
        awaitRequest();
        reply("-" + error + "\r\n");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(30, TimeUnit.SECONDS));
        JedisDataException reply = assertInstanceOf(JedisDataException.class, failed.getCause());
        assertEquals(elsewhere, ClusterPipelinedReads.servedElsewhere(reply), error);

        assertTrue(standIn.connection.usable(), "an error reply is a whole reply: the connection stays in step");
        CompletableFuture<byte[]> second = readInTheBackground();
        awaitRequest();
        reply("$5\r\nhello\r\n");
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), second.get(30, TimeUnit.SECONDS),
                "the next caller gets its own reply");
        assertFalse(second.isCompletedExceptionally());
    }

    private CompletableFuture<byte[]> readInTheBackground() {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                read.complete(standIn.connection.get(KEY, null));
            } catch (RuntimeException e) {
                read.completeExceptionally(e);
            }
        }, "pipelined-caller");
        thread.setDaemon(true);
        thread.start();
        return read;
    }

    /** Waits for a caller's whole GET ({@code *2 $3 GET $1 k}, 20 bytes) to reach the stand-in. */
    private void awaitRequest() throws Exception {
        standIn.served.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
        InputStream in = standIn.served.getInputStream();
        byte[] request = new byte[20];
        for (int read = 0; read < request.length; ) {
            int n = in.read(request, read, request.length - read);
            assertTrue(n > 0, "the GET was written");
            read += n;
        }
        assertEquals("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", new String(request, StandardCharsets.US_ASCII));
    }

    private void reply(String resp) throws Exception {
        standIn.served.getOutputStream().write(resp.getBytes(StandardCharsets.US_ASCII));
        standIn.served.getOutputStream().flush();
    }
}
