package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9110 7.6.1: a field a client's {@code Connection} header lists is meant for the proxy alone and is not
 * forwarded (Jetty's proxy servlet removes it). The origin answers as if it were absent, so its response must not be
 * matched as the answer to a request carrying that field: stored under the field's value (the origin's
 * {@code Vary} names it), a request listing {@code Accept-Language} in {@code Connection} poisoned the French entry
 * with the origin's answer for no language, which every French visitor then got.
 */
class ConnectionListedRequestFieldTest {

    private static final int MAX_ATTEMPTS = 100_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Origin origin;
    private CachingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        origin = new Origin(clock).start();
        proxy = CachingProxy.start(URI.create(origin.url()), 0, Map.of(ResponseCacheProperties.CLOCK, clock));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        origin.stop();
    }

    /** One request on its own connection, written as is (java.net.http refuses to send Connection); the response. */
    private String raw(String method, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder(method + " /vary HTTP/1.1\r\nHost: localhost\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("localhost", proxy.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aFieldTheClientsConnectionHeaderListsNeverKeysTheOriginsAnswerWithoutIt() throws Exception {
        String poisoning = raw("GET", "Accept-Language: fr", "Connection: Accept-Language");
        assertTrue(poisoning.endsWith("lang null 1"), poisoning);
        // Stored under whichever language it is matched on: the French one (the fault) or none.
        for (int attempt = 0; !raw("HEAD").contains("X-Cache: HIT")
                && !raw("HEAD", "Accept-Language: fr").contains("X-Cache: HIT"); attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new AssertionError("the answer without a language was never stored");
            }
            Thread.onSpinWait();
        }
        String french = raw("GET", "Accept-Language: fr");
        assertTrue(french.endsWith("lang fr 2"), french);
        assertEquals(2, origin.count("GET", "/vary"));
    }
}
