package dev.responsecache.benchmarks;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * The ceiling of answering a Redis hit asynchronously, measured without the library: one 1 KiB value read with a
 * {@code GET} pipelined as the store's single-server reads are (one connection, one pipeline in flight, one reader
 * thread handing out replies in order), then written as a hit is. Modes, each at a path of its own:
 * <ul>
 *     <li>{@code /blocking}: the request thread parks until the reader hands it the reply (what the store does);</li>
 *     <li>{@code /async}: the request thread starts async and leaves; the reader writes the reply into the
 *     response's aggregate buffer (no I/O: no Content-Length, so the write is not the last) and completes, which
 *     in Jetty 12 ee10 runs the completion (a non-blocking write) on the reader thread;</li>
 *     <li>{@code /async-pool}: the same, but the reader hands the write and the completion to the container's
 *     pool ({@link AsyncContext#start});</li>
 *     <li>{@code /async-timeout}: {@code /async} with Jetty's async timeout (1 s) scheduled per request, as a read
 *     timeout would need.</li>
 * </ul>
 * No read timeout of its own, no fault handled, no lookup: an optimistic bound, not a design.
 */
final class AsyncRedisHitServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] KEY = "bench:async-redis-hit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GET_UP_TO_KEY_LENGTH = "*2\r\n$3\r\nGET\r\n$".getBytes(StandardCharsets.US_ASCII);

    private final transient Gets gets;

    AsyncRedisHitServlet(String redisUri) {
        URI uri = URI.create(redisUri);
        try (Jedis setup = new Jedis(uri.getHost(), uri.getPort())) {
            setup.set(KEY, Bodies.ONE_KIB);
            gets = new Gets(new Socket(uri.getHost(), uri.getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String mode = request.getPathInfo();
        if ("/blocking".equals(mode)) {
            Thread waiter = Thread.currentThread();
            Get get = new Get(null);
            get.waiter = waiter;
            gets.get(get);
            while (get.reply == null) {
                LockSupport.park(this);
            }
            write(response, get.reply, true);
            return;
        }
        AsyncContext async = request.startAsync();
        // A real read needs its timeout: /async-timeout lets Jetty schedule one per request (1 s), /async none.
        async.setTimeout("/async-timeout".equals(mode) ? 1000 : 0);
        boolean pool = "/async-pool".equals(mode);
        gets.get(new Get(reply -> {
            if (pool) {
                async.start(() -> writeAndComplete(async, response, reply));
            } else {
                writeAndComplete(async, response, reply);
            }
        }));
    }

    private static void writeAndComplete(AsyncContext async, HttpServletResponse response, byte[] reply) {
        try {
            write(response, reply, false);
        } catch (IOException e) {
            // the client went away: complete all the same
        }
        async.complete();
    }

    private static void write(HttpServletResponse response, byte[] body, boolean contentLength) throws IOException {
        response.setContentType(Bodies.TYPE);
        response.setHeader("Cache-Status", "response-cache; hit");
        response.setHeader("ETag", "\"0123456789abcdef\"");
        response.setHeader("Cache-Control", "max-age=3600");
        if (contentLength) {
            response.setContentLength(body.length);
        }
        response.getOutputStream().write(body);
    }

    /** One {@code GET}: its callback (async) or its waiting thread (blocking), and the reply. */
    private static final class Get {
        final Consumer<byte[]> callback;
        volatile Thread waiter;
        volatile byte[] reply;

        Get(Consumer<byte[]> callback) {
            this.callback = callback;
        }

        void complete(byte[] value) {
            if (callback != null) {
                callback.accept(value);
            } else {
                reply = value;
                LockSupport.unpark(waiter);
            }
        }
    }

    /** {@code PipelinedConnection}'s scheme, reduced: one pipeline in flight, the reader writes what queued meanwhile. */
    private static final class Gets {
        private final RedisOutputStream out;
        private final RedisInputStream in;
        private final Queue<Get> queued = new ConcurrentLinkedQueue<>();
        private final Queue<Get> owed = new ConcurrentLinkedQueue<>();
        private final ReentrantLock writing = new ReentrantLock();

        Gets(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            out = new RedisOutputStream(socket.getOutputStream());
            in = new RedisInputStream(socket.getInputStream());
            Thread reader = new Thread(this::read, "response-cache-redis-reader prototype");
            reader.setDaemon(true);
            reader.start();
        }

        void get(Get get) {
            queued.add(get);
            if (owed.isEmpty()) {
                write();
            }
        }

        private void write() {
            do {
                if (!writing.tryLock()) {
                    return;
                }
                try {
                    boolean wrote = false;
                    for (Get get = queued.poll(); get != null; get = queued.poll()) {
                        owed.add(get);
                        out.write(GET_UP_TO_KEY_LENGTH);
                        out.writeIntCrLf(KEY.length);
                        out.write(KEY);
                        out.writeCrLf();
                        wrote = true;
                    }
                    if (wrote) {
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    writing.unlock();
                }
            } while (owed.isEmpty() && !queued.isEmpty());
        }

        private void read() {
            try {
                while (true) {
                    byte[] reply = (byte[]) Protocol.read(in);
                    owed.poll().complete(reply);
                    if (owed.isEmpty() && !queued.isEmpty()) {
                        write();
                    }
                }
            } catch (JedisConnectionException e) {
                // the app is closing: its redis-server is gone
            }
        }
    }
}
