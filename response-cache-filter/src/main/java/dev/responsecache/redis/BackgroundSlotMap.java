package dev.responsecache.redis;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * Jedis's Cluster provider, except that the slot map is never read on the caller's thread. Jedis reads it again
 * after a {@code MOVED} and after a command's last failed attempt, on the thread of that command, trying the seeds
 * and then every other node in turn until one answers: a hung node on the way costs a connect timeout and a read
 * timeout (its login), so that one cache read or write could wait far longer than its bound. Here that read is handed
 * to one background thread (one read at a time, one more queued at most); the command meanwhile follows the
 * redirection itself or fails, and the commands after it use the map once it is read (Jedis's own periodic refresh
 * goes on as before).
 */
final class BackgroundSlotMap extends ClusterConnectionProvider {

    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService reader;

    BackgroundSlotMap(Set<HostAndPort> seeds, JedisClientConfig client, ConnectionPoolConfig pools,
                      Duration refreshEvery) {
        super(seeds, client, pools, refreshEvery);
        this.reader = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "response-cache-cluster-slot-map");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Reads the map on the background thread; returns at once. */
    @Override
    public void renewSlotCache() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            reader.execute(() -> {
                queued.set(false);
                super.renewSlotCache();
            });
        } catch (RejectedExecutionException closed) {
            queued.set(false);
        }
    }

    /**
     * After a {@code MOVED}: read in the background too, from the seeds (the connection that was redirected is closed
     * by the caller as soon as this returns).
     */
    @Override
    public void renewSlotCache(Connection redirected) {
        renewSlotCache();
    }

    @Override
    public void close() {
        reader.shutdownNow();
        super.close();
    }
}
