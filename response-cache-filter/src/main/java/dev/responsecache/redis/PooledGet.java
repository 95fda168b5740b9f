package dev.responsecache.redis;

import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A hit's {@code GET} through a pooled connection, for when the pipelined connection cannot carry it, given up within
 * what is left of the hit's read timeout: a hit whose pipelined {@code GET} was never sent, because that connection
 * broke, has already waited part of its timeout, and the read timeout is the most a cache read may add to a request.
 */
interface PooledGet {

    /**
     * The value at {@code key}, or null; throws as a pooled {@code GET} does, a timeout once {@code withinNanos} have
     * passed (or at once when not even a millisecond is left).
     */
    byte[] get(byte[] key, long withinNanos);

    /**
     * A {@code GET} on a connection {@code borrow} lends (the pool's: its wait for a free connection, as every pooled
     * call), its socket timeout shortened to what is left of the read timeout for this one reply, then put back.
     */
    static PooledGet bounded(Supplier<Connection> borrow, int readTimeoutMillis) {
        CommandObjects commands = new CommandObjects();
        return (key, withinNanos) -> {
            long millis = Math.min(TimeUnit.NANOSECONDS.toMillis(withinNanos), readTimeoutMillis);
            if (millis <= 0) {
                // A socket timeout of zero would be none at all.
                throw new JedisConnectionException("no time left for a pooled read",
                        new SocketTimeoutException("the read timeout of " + readTimeoutMillis + " ms has passed"));
            }
            try (Connection connection = borrow.get()) {
                boolean shortened = millis < readTimeoutMillis;
                if (shortened) {
                    connection.setSoTimeout((int) millis);
                }
                try {
                    return connection.executeCommand(commands.get(key));
                } finally {
                    // A connection that failed is not reused: the pool drops it as it comes back.
                    if (shortened && !connection.isBroken()) {
                        connection.setSoTimeout(readTimeoutMillis);
                    }
                }
            }
        };
    }

    /**
     * A {@code GET} that keeps its own bounds whatever is left ({@code JedisCluster}'s: it follows {@code MOVED} and
     * {@code ASK} across nodes, each attempt within the full read timeout).
     */
    static PooledGet unbounded(UnaryOperator<byte[]> get) {
        return (key, withinNanos) -> get.apply(key);
    }
}
