package dev.responsecache.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Bounds the name lookup Jedis makes before each connection, which no socket timeout covers (a resolver that does
 * not answer holds the caller for as long as the system's resolver settings say, often many seconds). Jedis asks this
 * mapper for every address before it connects; the lookup runs on a daemon thread and the caller waits at most the
 * connect timeout. The address is handed back unchanged, so TLS still verifies the host name: Jedis's own lookup
 * that follows is answered from the JVM's address cache. One lookup per host runs at a time, however many callers
 * wait for it.
 */
final class BoundedDns implements HostAndPortMapper {

    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final long timeoutMillis;
    private final Map<String, CompletableFuture<InetAddress[]>> running = new ConcurrentHashMap<>();

    BoundedDns(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public HostAndPort getHostAndPort(HostAndPort address) {
        String host = address.getHost();
        if (LITERAL.matcher(host).matches()) {
            return address;
        }
        CompletableFuture<InetAddress[]> mine = new CompletableFuture<>();
        CompletableFuture<InetAddress[]> lookup = running.putIfAbsent(host, mine);
        if (lookup == null) {
            lookup = mine;
            lookUp(host, mine);
        }
        try {
            lookup.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return address;
        } catch (TimeoutException e) {
            throw new JedisConnectionException("looking up " + host + " took longer than the connect timeout ("
                    + timeoutMillis + " ms)", e);
        } catch (ExecutionException e) {
            throw new JedisConnectionException("unknown host " + host, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JedisConnectionException("interrupted looking up " + host, e);
        }
    }

    private void lookUp(String host, CompletableFuture<InetAddress[]> result) {
        Thread thread = DetachedThreads.daemon(() -> {
            try {
                result.complete(InetAddress.getAllByName(host));
            } catch (UnknownHostException | RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                // The JVM caches the answer; the next connection asks again and so follows DNS changes.
                running.remove(host, result);
            }
        }, "response-cache-redis-dns");
        thread.start();
    }
}
