package dev.responsecache.redis;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.pool2.PooledObject;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A new connection's login bounded as a whole. Jedis logs a connection in inside the call that needed it (the
 * request's): the TLS handshake, {@code AUTH}, {@code CLIENT SETNAME} (with its {@code CLIENT SETINFO}), {@code SELECT},
 * each reply within the read timeout, so a server that answers each step slowly held a reconnecting request up to
 * four read timeouts before its command was even sent. Here the whole login, from the moment the socket is connected,
 * has one read timeout: past it the socket is closed (by {@link #TIMER}), which ends the step waiting on it, and the
 * connection fails as a read timeout.
 *
 * <p>Only for connections the store makes through {@link #sockets}: the hits' pipelined ones, and the single server's
 * pool. Jedis makes the Sentinel and Cluster pools' connections itself, from the client configuration alone, which
 * gives no hold on the socket: there each step keeps its own read timeout.
 */
final class BoundedLogin {

    /**
     * Closes the sockets of logins past their bound. Its thread lives only while a login is under way, and a second
     * after (a login that ends takes its task away, and the thread ends once it has none), and has no context class
     * loader. The JDK's shared delayed-task thread, used before, lived for good with the context class loader of
     * the application whose login started it: a class-loader leak that Tomcat reported when the application
     * stopped.
     */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    /** The login under way on this thread, from its socket's creation until {@link #made} ends. */
    private static final ThreadLocal<Watched> LOGGING_IN = new ThreadLocal<>();

    private BoundedLogin() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(0,
                runnable -> DetachedThreads.daemon(runnable, "response-cache-redis-login-bound"));
        timer.setRemoveOnCancelPolicy(true);
        // An idle thread waits this long for the next login before it ends; while a login is under way it wakes once
        // per this wait, not every 10 ms (the executor's default).
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        return timer;
    }

    /** The single server's pool: each connection logged in within the read timeout. */
    static ConnectionFactory pooled(HostAndPort server, JedisClientConfig client) {
        int withinMillis = client.getSocketTimeoutMillis();
        return new ConnectionFactory(sockets(new DefaultJedisSocketFactory(server, client), withinMillis), client) {
            @Override
            public PooledObject<Connection> makeObject() throws Exception {
                return made(super::makeObject, made -> made.getObject().close());
            }
        };
    }

    /** Sockets from {@code sockets}, each closed if the login on it has not ended {@code withinMillis} after. */
    static JedisSocketFactory sockets(JedisSocketFactory sockets, int withinMillis) {
        return () -> {
            Socket socket = sockets.createSocket();
            Watched watched = new Watched(socket, withinMillis);
            LOGGING_IN.set(watched);
            watched.bound = TIMER.schedule(watched::expire, withinMillis, TimeUnit.MILLISECONDS);
            return socket;
        };
    }

    /**
     * Makes a connection with {@code connect}, which opens its socket through {@link #sockets} on this thread and logs
     * in; throws a read timeout when the login outlasted its bound (what it made, if anything, handed to
     * {@code discard}).
     */
    static <T> T made(Callable<T> connect, Consumer<T> discard) throws Exception {
        LOGGING_IN.remove();
        try {
            T made;
            try {
                made = connect.call();
            } catch (Exception e) {
                Watched watched = LOGGING_IN.get();
                if (watched != null && !watched.ended()) {
                    throw watched.expired(e);
                }
                throw e;
            }
            Watched watched = LOGGING_IN.get();
            if (watched != null && !watched.ended()) {
                // Logged in just as its bound passed: the socket is closed under it.
                discard.accept(made);
                throw watched.expired(null);
            }
            return made;
        } finally {
            LOGGING_IN.remove();
        }
    }

    /** A socket whose login either ends (first) or expires (first), once. */
    private static final class Watched {

        private final Socket socket;
        private final int withinMillis;
        private final AtomicBoolean settled = new AtomicBoolean();
        /** The task that expires this login, taken away when it ends first. */
        private volatile ScheduledFuture<?> bound;

        Watched(Socket socket, int withinMillis) {
            this.socket = socket;
            this.withinMillis = withinMillis;
        }

        /** Whether the login ended before its bound (from now on, the bound does nothing). */
        boolean ended() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            ScheduledFuture<?> task = bound;
            if (task != null) {
                task.cancel(false);
            }
            return true;
        }

        void expire() {
            if (settled.compareAndSet(false, true)) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing is all that is asked; a socket that will not close fails its own read.
                }
            }
        }

        JedisConnectionException expired(Exception fault) {
            JedisConnectionException timedOut = new JedisConnectionException("Redis did not complete the login of a"
                    + " new connection within " + withinMillis + " ms",
                    new SocketTimeoutException("login not complete within " + withinMillis + " ms"));
            if (fault != null) {
                timedOut.addSuppressed(fault);
            }
            return timedOut;
        }
    }
}
