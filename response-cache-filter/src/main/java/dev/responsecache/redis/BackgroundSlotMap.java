package dev.responsecache.redis;

import dev.responsecache.ResponseCacheProperties;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * Jedis's Cluster provider, except that the slot map is never read on the caller's thread. Jedis reads it again
 * after a {@code MOVED} and after a command's last failed attempt, on the thread of that command, trying the seeds
 * and then every other node in turn until one answers: a hung node on the way costs a connect timeout and a read
 * timeout (its login), so that one cache read or write could wait far longer than its bound. Here that read is handed
 * to one background thread (one read at a time, one more queued at most); the command meanwhile follows the
 * redirection itself or fails, and the commands after it use the map once it is read. The periodic read runs on that
 * thread too, in place of Jedis's own.
 *
 * <p>A read still in flight when the provider is closed is not ended by closing it: an interrupt does not end a
 * blocking socket read, and a read that ends afterwards makes a pool for every node it names. Those pools would stay
 * registered with commons-pool's evictor for good (and the application's class loader with them), so a read that ends
 * after {@link #close()} destroys them again; so does a command that follows a redirection to a node after it.
 *
 * <p>Jedis asks the nodes in turn and skips, silently, one that refuses {@code CLUSTER SLOTS} or the login: a user
 * whose ACL lacks {@code cluster|slots} (on every node, or after an {@code ACL SETUSER}) left the map stale without a
 * word. So the nodes are asked here, one at a time, each through a connection that hands Jedis the node's reply but
 * stops Jedis from going on to the others when it fails: each refusal is seen, and logged by {@link NodeRefusals}
 * once per node and episode. The nodes that refused last time are asked first, so that their recovery is seen too.
 */
final class BackgroundSlotMap extends ClusterConnectionProvider {

    private final AtomicBoolean queued = new AtomicBoolean();
    private final Set<HostAndPort> seeds;
    private final JedisClientConfig client;
    private final NodeRefusals refusals;
    private final ScheduledExecutorService reader;
    private volatile boolean closed;

    /**
     * @param refreshEvery the period of the slot map's own read, or {@code null} for none (reads after redirections
     *                     and failed commands only)
     */
    BackgroundSlotMap(Set<HostAndPort> seeds, JedisClientConfig client, ConnectionPoolConfig pools,
                      Duration refreshEvery) {
        // No period for Jedis: its own refresh thread would read the map unguarded, with the same race on close.
        super(seeds, client, pools, null);
        // In the order configured (Set.copyOf's order changes from one JVM to the next): the first seed is asked
        // first, as Jedis's own read did, not a node chosen by chance that may be the one in trouble.
        this.seeds = Collections.unmodifiableSet(new LinkedHashSet<>(seeds));
        this.client = client;
        this.refusals = new NodeRefusals("Redis Cluster node", client.getUser(), "CLUSTER SLOTS", "+cluster|slots",
                ResponseCacheProperties.REDIS_URI, "the store cannot read the slot map from it; while every node"
                        + " refuses, the map goes stale and commands follow redirections or fail");
        this.reader = new ScheduledThreadPoolExecutor(1,
                runnable -> DetachedThreads.daemon(runnable, "response-cache-cluster-slot-map"));
        if (refreshEvery != null) {
            long period = refreshEvery.toMillis();
            reader.scheduleWithFixedDelay(this::read, period, period, TimeUnit.MILLISECONDS);
        }
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
                read();
            });
        } catch (RejectedExecutionException closedAlready) {
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

    /**
     * Jedis makes the pools of the nodes the map names as it reads it. {@code closed} is set before {@link #close()}
     * destroys the pools: a read that sees it unset made its pools before they were destroyed; one that sees it set
     * destroys what it made.
     */
    private void read() {
        try {
            readFromTheFirstNodeThatAnswers();
        } finally {
            // Jedis lets a fault other than its own out of the read, possibly after it made pools.
            if (closed) {
                cache.reset();
            }
        }
    }

    /**
     * Asks the nodes that refused last time, then the seeds, then the other nodes the map names, until one answers;
     * every node that refused last time is asked, so that each one's recovery is seen. Jedis reads the map through the
     * connection given to it (it goes on to the seeds only when the reply is not a whole map, as its own read would).
     */
    private void readFromTheFirstNodeThatAnswers() {
        Set<HostAndPort> refusing = refusals.refusingNodes();
        Set<HostAndPort> candidates = new LinkedHashSet<>(refusing);
        candidates.addAll(seeds);
        getNodes().keySet().forEach(node -> candidates.add(HostAndPort.from(node)));
        boolean read = false;
        for (HostAndPort node : candidates) {
            if (closed || read && !refusing.contains(node)) {
                return;
            }
            read |= readFrom(node);
        }
    }

    /** Whether {@code node} answered the map's command; a refusal is logged, an unreachable node is not. */
    private boolean readFrom(HostAndPort node) {
        try (SlotMapConnection connection = new SlotMapConnection(node, client)) {
            cache.renewClusterSlots(connection);
            refusals.answered(node);
            return true;
        } catch (JedisAccessControlException refused) {
            // Thrown by the login, before a command was sent.
            refusals.loginRefused(node, refused);
        } catch (SlotMapConnection.NotAnswered failed) {
            if (failed.getCause() instanceof JedisDataException refused) {
                refusals.commandRefused(node, refused);
            }
        } catch (JedisException unreachable) {
            // Not answering is an outage, the breaker's to report; the next node is asked.
        }
        return false;
    }

    /** The refusals of the nodes asked for the slot map; taken over by the store that replaces this one. */
    NodeRefusals refusals() {
        return refusals;
    }

    /**
     * The connection to a node a redirection names: Jedis makes that node's pool if it has none, so a command still
     * following a redirection when the provider closes would leave one behind; it destroys it again, and fails. The
     * pool is made before its first connection, so one whose connection failed (a node refusing, or hung in the
     * login) is destroyed too.
     */
    @Override
    public Connection getConnection(HostAndPort node) {
        Connection connection;
        try {
            connection = super.getConnection(node);
        } catch (RuntimeException failed) {
            if (closed) {
                cache.reset();
            }
            throw failed;
        }
        if (closed) {
            connection.close();
            cache.reset();
            throw new JedisClusterOperationException("The Cluster connection provider is closed.");
        }
        return connection;
    }

    @Override
    public void close() {
        closed = true;
        reader.shutdownNow();
        super.close();
    }
}
