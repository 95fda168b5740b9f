package dev.responsecache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A real HTTP client that goes away in the middle of a body: it sends a GET, reads the first bytes of the response,
 * then resets the connection (so that the server's next writes fail at once rather than fill a socket buffer). It
 * sends no {@code Accept}, as {@code java.net.http} sends none: the servlet filter keys the header as received, so
 * its entries are the other clients' of the tests.
 */
public final class HangingUpClient {

    private HangingUpClient() {
    }

    /** Requests {@code path} from {@code server}, reads at least {@code bytes} bytes of the response, and hangs up. */
    public static void getAndHangUp(TestServer server, String path, int bytes) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int read = 0;
            while (read < bytes) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new AssertionError("the server ended the response after " + read + " bytes");
                }
                read += n;
            }
            // A reset, not a polite close: the server learns at its next write that nobody is listening.
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests {@code path} and reads nothing until the returned socket is closed: a client that stalls. */
    public static Socket getWithoutReading(TestServer server, String path) {
        try {
            Socket socket = new Socket("127.0.0.1", server.port());
            socket.setReceiveBufferSize(4096);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns once {@code condition} holds, polling with a deadline. */
    public static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never happened: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
