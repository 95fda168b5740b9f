package dev.responsecache.redis;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The hit path's {@code GET}s on one server (the single server, the Sentinel primary, a Cluster primary),
 * auto-pipelined: the reads of concurrent requests share one long-lived connection (a {@link PipelinedConnection})
 * instead of taking a pooled connection and a round trip each. Fewer system calls on both sides and far less of
 * {@code redis-server}'s CPU per read, on the cores a small machine shares.
 *
 * <p>The connection is made as the pool makes its own (the same client configuration: TLS, login, database, client
 * name), outside the pool, and made again by the next read after it fails. One thread connects at a time, within the
 * connect and read timeouts; reads that arrive meanwhile neither queue behind it nor miss: they read as before, with
 * a pooled {@code GET} each (a cold instance's first burst of hits, or the hits right after a fault).
 */
final class PipelinedReads implements HitReads {

    private final HostAndPort address;
    private final JedisClientConfig client;
    private final int readTimeoutMillis;
    private final long readTimeoutNanos;
    /** How reads go while another thread makes the connection. */
    private final PooledGet pooledGet;
    /** The store's monotonic clock, which the connection's callers keep their read timeouts by. */
    private final LongSupplier nanoTime;
    private final ReentrantLock connecting = new ReentrantLock();
    private volatile PipelinedConnection current;
    /** Guarded by {@link #connecting}. */
    private boolean closed;
    /** Set once by {@link #retire}: from then on every read goes through the pool. */
    private volatile boolean retired;

    PipelinedReads(HostAndPort address, JedisClientConfig client, Duration readTimeout,
                   PooledGet pooledGet, LongSupplier nanoTime) {
        this.pooledGet = pooledGet;
        this.nanoTime = nanoTime;
        this.address = address;
        this.client = client;
        this.readTimeoutMillis = (int) readTimeout.toMillis();
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    /**
     * The value at {@code key}, or null; throws as a pooled {@code GET} does (see {@link PipelinedConnection#get}).
     * Hands back {@code expected} itself (may be null) when Redis holds its very bytes (not when read from the pool).
     */
    @Override
    public byte[] get(byte[] key, byte[] expected) {
        long askedAt = nanoTime.getAsLong();
        PipelinedConnection connection = current;
        if (connection == null || !connection.usable()) {
            connection = reconnected();
            if (connection == null) {
                return pooledGet.get(key, readTimeoutNanos);
            }
        }
        try {
            return connection.get(key, expected);
        } catch (PipelinedConnection.NotSent notSent) {
            // Within what is left of its timeout: together, the two reads never take longer than one.
            return pooledGet.get(key, askedAt + readTimeoutNanos - nanoTime.getAsLong());
        }
    }

    /** A usable connection, made by this thread if need be; null while another thread makes it. */
    private PipelinedConnection reconnected() {
        if (retired || !connecting.tryLock()) {
            return null;
        }
        try {
            PipelinedConnection connection = current;
            if (connection != null && connection.usable()) {
                return connection;
            }
            if (closed) {
                throw new JedisConnectionException("the Redis store was closed");
            }
            connection = connect();
            current = connection;
            if (retired) {
                // Retired while this thread connected: retire may have looked before this connection was current.
                connection.fail(PipelinedConnection.NotSent.INSTANCE);
                return null;
            }
            return connection;
        } finally {
            connecting.unlock();
        }
    }

    /**
     * Lets Jedis open and log in a connection as it does for the pool (AUTH or the ACL user, CLIENT SETNAME, SELECT),
     * the whole login within the read timeout, then takes its socket over: nothing is left to read on it.
     */
    private PipelinedConnection connect() {
        DefaultJedisSocketFactory sockets = new DefaultJedisSocketFactory(address, client);
        AtomicReference<Socket> made = new AtomicReference<>();
        JedisSocketFactory keeping = () -> {
            Socket socket = sockets.createSocket();
            made.set(socket);
            try {
                socket.setSoTimeout(readTimeoutMillis);
            } catch (SocketException e) {
                throw new JedisConnectionException(e);
            }
            return socket;
        };
        try {
            // Logged in within one read timeout as a whole, not one per step (BoundedLogin).
            BoundedLogin.made(() -> new Connection(BoundedLogin.sockets(keeping, readTimeoutMillis), client),
                    Connection::close);
            return new PipelinedConnection(made.get(), address.toString(), readTimeoutNanos, nanoTime);
        } catch (IOException e) {
            PipelinedConnection.closeQuietly(made.get());
            throw new JedisConnectionException(e);
        } catch (RuntimeException | Error e) {
            // Jedis closes what it holds only on its own exceptions; a socket it never got, or one a failed reader
            // thread would strand, is closed here.
            PipelinedConnection.closeQuietly(made.get());
            throw e;
        } catch (Exception e) {
            PipelinedConnection.closeQuietly(made.get());
            throw new JedisConnectionException(e);
        }
    }

    /**
     * Gives the connection up for good, at once and without waiting for anything (a hit's thread calls it), when its
     * server no longer serves the hits: the primary after a Sentinel failover, a Cluster node that left the slot map.
     * The reads it still owes (their replies not yet read) and those queued on it end as if never sent: they read
     * again through the pool, as every later read does (none makes a connection again), unless their caller is past
     * its timeout (then a miss). Its reader thread ends by itself once the socket is closed.
     */
    void retire() {
        retired = true;
        PipelinedConnection connection = current;
        if (connection != null) {
            connection.fail(PipelinedConnection.NotSent.INSTANCE);
        }
    }

    /** Closes the connection; its reader thread ends. */
    @Override
    public void close() {
        PipelinedConnection connection;
        connecting.lock();
        try {
            closed = true;
            connection = current;
        } finally {
            connecting.unlock();
        }
        if (connection != null) {
            connection.close(readTimeoutMillis + 1000L);
        }
    }
}
