package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class CapturingOutputStreamTest {

    private final ByteArrayOutputStream client = new ByteArrayOutputStream();
    private final AtomicInteger dropped = new AtomicInteger();

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void keepsAnExactCopyOfWhatTheClientGot() throws IOException {
        CapturingOutputStream capture = new CapturingOutputStream(client, 4096, byte[]::new, dropped::incrementAndGet, false);
        capture.write(7);
        capture.write(bytes(3000), 0, 3000);
        assertArrayEquals(client.toByteArray(), capture.captured());
        assertEquals(0, dropped.get());
    }

    @Test
    void bodyPastTheLimitDropsTheCopyOnceAndStillReachesTheClient() throws IOException {
        CapturingOutputStream capture = new CapturingOutputStream(client, 1000, byte[]::new, dropped::incrementAndGet, false);
        for (int i = 0; i < 3; i++) {
            capture.write(bytes(600), 0, 600);
        }
        assertNull(capture.captured());
        assertTrue(capture.overflowed());
        assertEquals(1800, client.size());
        assertEquals(1, dropped.get());
    }

    /**
     * A streamed body (an asynchronous servlet's) is told past the limit before the write that took it there reaches
     * the client: the adapter can still set a header line then, if none has gone out.
     */
    @Test
    void streamedBodyPastTheLimitIsDroppedBeforeTheWriteReachesTheClient() throws IOException {
        AtomicInteger sentWhenDropped = new AtomicInteger(-1);
        CapturingOutputStream capture = new CapturingOutputStream(client, 1000, byte[]::new,
                () -> sentWhenDropped.set(client.size()), false);
        capture.write(bytes(600), 0, 600);
        capture.write(bytes(600), 0, 600);
        assertEquals(600, sentWhenDropped.get(), "dropped with only the first write sent");
        assertEquals(1200, client.size());
        assertTrue(capture.overflowed());
        capture.write(7);
        assertEquals(600, sentWhenDropped.get(), "dropped once");
        assertEquals(1201, client.size());
    }

    @Test
    void copyThatCannotGetMemoryIsDroppedWithoutFailingTheWrite() throws IOException {
        CapturingOutputStream capture = new CapturingOutputStream(client, 1 << 20, size -> {
            if (size > 1024) {
                throw new OutOfMemoryError("Java heap space");
            }
            return new byte[size];
        }, dropped::incrementAndGet, false);
        for (int i = 0; i < 10; i++) {
            capture.write(bytes(500), 0, 500);
        }
        capture.write(1);
        assertEquals(5001, client.size());
        assertNull(capture.captured());
        assertEquals(1, dropped.get());
    }

    @Test
    void failedWriteToTheClientDropsTheCopyEvenWhenTheCallerCarriesOn() throws IOException {
        OutputStream hungUp = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 100) {
                    throw new IOException("Broken pipe");
                }
            }
        };
        CapturingOutputStream capture = new CapturingOutputStream(hungUp, 4096, byte[]::new, dropped::incrementAndGet, false);
        capture.write(bytes(100), 0, 100);
        assertThrows(IOException.class, () -> capture.write(bytes(100), 0, 100));
        assertNull(capture.captured());
        assertEquals(1, dropped.get());
    }

    @Test
    void holdingCaptureSendsNothingUntilDeliveredThenTheWholeBodyAndTheClose() throws IOException {
        AtomicInteger closed = new AtomicInteger();
        OutputStream target = new OutputStream() {
            @Override
            public void write(int b) {
                client.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                client.write(bytes, offset, length);
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        CapturingOutputStream capture = new CapturingOutputStream(target, 4096, byte[]::new, dropped::incrementAndGet,
                true);
        capture.write(bytes(3000), 0, 3000);
        capture.flush();
        capture.close();
        assertEquals(0, client.size(), "held until stored");
        assertEquals(0, closed.get());
        assertArrayEquals(bytes(3000), capture.captured());
        capture.deliver();
        assertArrayEquals(bytes(3000), client.toByteArray());
        assertEquals(1, closed.get());
    }

    @Test
    void holdingCaptureSendsWhatItHeldAndStreamsOnOnceTheBodyCannotBeKept() throws IOException {
        CapturingOutputStream capture = new CapturingOutputStream(client, 1000, byte[]::new, dropped::incrementAndGet,
                true);
        capture.write(bytes(600), 0, 600);
        assertEquals(0, client.size());
        assertEquals(0, dropped.get());
        capture.write(bytes(600), 0, 600);
        assertEquals(1, dropped.get(), "waiters released the moment the body is known not storable");
        assertEquals(1200, client.size());
        capture.write(7);
        assertNull(capture.captured());
        capture.deliver();
        assertEquals(1201, client.size(), "nothing sent twice");
    }

    /**
     * A first write of nothing (RESTEasy writes an empty {@code String} entity so) found no copy to write to yet, and
     * failed with a {@code NullPointerException}: the response became a 500, held or streamed.
     */
    @Test
    void firstWriteOfNothingFailedTheResponse() throws IOException {
        for (boolean hold : new boolean[] {true, false}) {
            ByteArrayOutputStream target = new ByteArrayOutputStream();
            CapturingOutputStream capture = new CapturingOutputStream(target, 4096, byte[]::new,
                    dropped::incrementAndGet, hold);
            capture.write(new byte[0]);
            assertArrayEquals(new byte[0], capture.captured(), "hold: " + hold);
            capture.write(bytes(3), 0, 3);
            capture.write(new byte[0], 0, 0);
            capture.deliver();
            assertArrayEquals(bytes(3), capture.captured(), "hold: " + hold);
            assertArrayEquals(bytes(3), target.toByteArray(), "hold: " + hold);
        }
        assertEquals(0, dropped.get());
    }
}
