package dev.responsecache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Relays TCP connections from a local port to a server, and can cut them all and refuse new ones, then reopen on
 * the same port: to a client, the server behind it has stopped and restarted. Lets outage tests run against a
 * server they may not stop themselves. It can also hold every reply for a while, to play a server that answers slowly,
 * or hold the replies of some connections and cut them alone, to play a server that stalls on those connections while
 * the others, and new ones, are served as usual.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Both sides of every relayed connection, with the connection's number: the first accepted is 1. */
    private final Map<Socket, Integer> numbers = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    /** Both sides of the connections whose replies are held until they are cut. */
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    /** The threads relaying replies: woken when the delay changes or connections are cut. */
    private final Set<Thread> replyPumps = ConcurrentHashMap.newKeySet();
    private final AtomicLong requestBytes = new AtomicLong();
    /** Whether requests that subscribe are held back (see {@link #holdSubscriptions}). */
    private volatile boolean holdingSubscriptions;
    private final Set<Thread> heldSubscriptions = ConcurrentHashMap.newKeySet();
    private volatile long replyDelayNanos;
    private volatile ServerSocket listener;
    private Thread acceptor;
    private int port;

    public TcpRelay(InetSocketAddress target) {
        this.target = target;
    }

    /**
     * Listens, on the same port as before if it listened before. The first port is one of {@link LocalPorts}, outside
     * the range the kernel hands to connections: while the relay is cut, no connection (the application's own
     * attempts to reconnect included) can be given it, and reopening finds it free.
     */
    public synchronized void open() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket bound = port != 0 ? listening(port) : null;
        for (int attempt = 0; bound == null; attempt++) {
            try {
                bound = listening(LocalPorts.free());
            } catch (BindException e) {
                // Bound by another process since it was found free.
                if (attempt == 9) {
                    throw e;
                }
            }
        }
        ServerSocket socket = bound;
        port = socket.getLocalPort();
        listener = socket;
        acceptor = new Thread(() -> accept(socket), "relay-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static ServerSocket listening(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
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
        held.clear();
        replyPumps.forEach(LockSupport::unpark);
        heldSubscriptions.forEach(LockSupport::unpark);
    }

    /** How many connections it has accepted so far: the number of the latest. */
    public int connections() {
        return accepted.get();
    }

    /**
     * Holds every reply on the open connections numbered above {@code number} (see {@link #connections()}) until they
     * are cut; the others, and connections opened later, are relayed as usual. Returns how many connections it holds.
     */
    public int holdRepliesOnConnectionsAfter(int number) {
        Set<Integer> holding = new HashSet<>();
        numbers.forEach((socket, connection) -> {
            if (connection > number) {
                held.add(socket);
                holding.add(connection);
            }
        });
        return holding.size();
    }

    /** Closes the connections whose replies it holds (their clients see the server close them), and only those. */
    public void cutHeldConnections() {
        for (Socket relayed : held) {
            closeQuietly(relayed);
        }
        replyPumps.forEach(LockSupport::unpark);
    }

    public synchronized int port() {
        return port;
    }

    /** From now on, each reply reaches the client {@code delay} after it came (zero: at once, those held too). */
    public void delayReplies(Duration delay) {
        replyDelayNanos = delay.toNanos();
        replyPumps.forEach(LockSupport::unpark);
    }

    /**
     * From now on, a request that holds a {@code SUBSCRIBE} (RESP, as Jedis sends it) is held back from the server,
     * with everything its client sends after it, until {@link #releaseSubscriptions}; other requests pass. A client
     * that asks the server something and then subscribes is held between the two.
     */
    public void holdSubscriptions() {
        holdingSubscriptions = true;
    }

    /** How many connections have a subscription held back now. */
    public int heldSubscriptions() {
        return heldSubscriptions.size();
    }

    /** Sends the held subscriptions on, and holds no more. */
    public void releaseSubscriptions() {
        holdingSubscriptions = false;
        heldSubscriptions.forEach(LockSupport::unpark);
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
            int number = accepted.incrementAndGet();
            numbers.put(client, number);
            numbers.put(server, number);
            if (listener != socket) {
                // Accepted while being cut: cut() may have closed the others before these were added.
                numbers.remove(client);
                numbers.remove(server);
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
            if (replies) {
                replyPumps.add(Thread.currentThread());
            }
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (replies) {
                        holdReply(to, System.nanoTime());
                    } else {
                        holdSubscription(buffer, n, to);
                        requestBytes.addAndGet(n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (SocketException e) {
                // cut, or closed by the other side
            } catch (IOException e) {
                // same: the relayed connection is over
            } finally {
                replyPumps.remove(Thread.currentThread());
                held.remove(from);
                held.remove(to);
                numbers.remove(from);
                numbers.remove(to);
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "relay-" + from.getPort() + "-" + to.getPort());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Plays a slow or stalled server; not a wait for anything. Woken when the delay changes or the connection is cut
     * (then the reply is dropped with it).
     */
    private void holdReply(Socket to, long arrived) {
        while (!to.isClosed()) {
            if (held.contains(to)) {
                LockSupport.park(this);
                continue;
            }
            long left = arrived + replyDelayNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /** Plays a request that has not reached the server yet; not a wait for anything. Woken when released. */
    private void holdSubscription(byte[] buffer, int length, Socket to) {
        if (!holdingSubscriptions
                || !new String(buffer, 0, length, StandardCharsets.ISO_8859_1).contains("\r\nSUBSCRIBE\r\n")) {
            return;
        }
        heldSubscriptions.add(Thread.currentThread());
        try {
            while (holdingSubscriptions && !to.isClosed()) {
                LockSupport.park(this);
            }
        } finally {
            heldSubscriptions.remove(Thread.currentThread());
        }
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
