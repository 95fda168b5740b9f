package dev.responsecache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Relays TCP connections from a local port to a server, and can cut them all and refuse new ones, then reopen on
 * the same port: to a client, the server behind it has stopped and restarted. Lets outage tests run against a
 * server they may not stop themselves. It can also hold every reply for a while, to play a server that answers slowly.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong requestBytes = new AtomicLong();
    private volatile long replyDelayNanos;
    private volatile ServerSocket listener;
    private Thread acceptor;
    private int port;

    public TcpRelay(InetSocketAddress target) {
        this.target = target;
    }

    /** Listens, on the same port as before if it listened before. */
    public synchronized void open() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        listener = socket;
        acceptor = new Thread(() -> accept(socket), "relay-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Stops listening and closes every relayed connection. Returns once the listening socket is gone: a socket closed
     * while another thread is blocked in its accept stays bound until that thread has left it, and {@link #open()}
     * right after would find the port taken.
     */
    public synchronized void cut() {
        ServerSocket socket = listener;
        listener = null;
        closeQuietly(socket);
        if (acceptor != null) {
            try {
                acceptor.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
        for (Socket relayed : sockets) {
            closeQuietly(relayed);
        }
        sockets.clear();
    }

    public synchronized int port() {
        return port;
    }

    /** From now on, each reply reaches the client {@code delay} late (zero: at once). */
    public void delayReplies(Duration delay) {
        replyDelayNanos = delay.toNanos();
    }

    /** How many bytes clients have sent to the server so far: whether they still call it at all. */
    public long requestBytes() {
        return requestBytes.get();
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 2000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            if (listener != socket) {
                // Accepted while being cut: cut() may have closed the others before these were added.
                closeQuietly(client);
                closeQuietly(server);
                return;
            }
            pump(client, server, false);
            pump(server, client, true);
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (replies) {
                        // Plays a slow server; not a wait for anything.
                        long delay = replyDelayNanos;
                        if (delay > 0) {
                            LockSupport.parkNanos(delay);
                        }
                    } else {
                        requestBytes.addAndGet(n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (SocketException e) {
                // cut, or closed by the other side
            } catch (IOException e) {
                // same: the relayed connection is over
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "relay-" + from.getPort() + "-" + to.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is best effort
        }
    }
}
