package dev.responsecache.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * An HTTP client on a bare socket, for the clients {@code java.net.http} cannot play: one that hangs up or stalls. It
 * sends no {@code Accept}, as {@code java.net.http} sends none (the servlet filter keys the header as received).
 */
final class RawClient {

    private static final long DEADLINE_SECONDS = 60;

    private RawClient() {
    }

    /** Requests {@code path}, reads at least {@code bytes} bytes of the response, and resets the connection. */
    static void getAndHangUp(URI base, String path, int bytes) {
        try (Socket socket = send(base, path)) {
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
    static Socket getWithoutReading(URI base, String path) {
        try {
            return send(base, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket send(URI base, String path) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setReceiveBufferSize(4096);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Returns once {@code condition} holds, polling against a deadline. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never happened: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
