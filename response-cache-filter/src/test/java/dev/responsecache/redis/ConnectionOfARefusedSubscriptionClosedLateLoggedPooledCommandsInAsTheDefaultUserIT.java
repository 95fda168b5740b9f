package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A standing subscription refused its channel by the user's ACL ({@code NOPERM}) gave its connection back to the
 * store's pool, while the eviction feed still held it as the connection to close should the {@code SUBSCRIBE} go
 * unanswered or the store close (it let go of it only after the attempt had ended). Closed there, idle in the pool, it
 * was lent again, and Jedis reconnected it without logging it in: the next commands ran as the default user (who may
 * read and write every key, on database 0), and a subscription made on it was allowed the channel the configured user
 * is refused, which was then reported as the refusal's end. A subscription's connection now ends with it and is never
 * lent again, so nothing the subscriptions do to it later reaches a pooled command. The late close is made here by the
 * test, on the connection the subscription's one attempt was given, once that attempt ended, as the feed's threads can
 * make it; the pool must then lend only connections logged in as the configured user, each reply matched to its
 * command. The lease subscription, which never closes its connection itself, is held to the same: its connection
 * carries a subscription's state (no read timeout while it waits, replies that may still come) and is never lent to
 * a command either.
 */
class ConnectionOfARefusedSubscriptionClosedLateLoggedPooledCommandsInAsTheDefaultUserIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String USER = "without-channels";
    private static final String PASSWORD = "s3cret";
    /** The subscriptions' wait before they try again: longer than the test, so each makes one attempt. */
    private static final Duration ONE_ATTEMPT = Duration.ofHours(1);
    private static RedisProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-refused-subscription"));
        try (Jedis admin = server.client()) {
            admin.sendCommand(Protocol.Command.ACL, "SETUSER", USER, "on", ">" + PASSWORD, "~*", "+@all",
                    "resetchannels");
        }
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void evictionFeedRefusedItsChannelLeavesThePoolLoggedInAsItsUser() {
        String prefix = RedisApps.uniquePrefix();
        try (Pooled pooled = new Pooled()) {
            RedisEvictionFeed feed = new RedisEvictionFeed(pooled.redis, pooled::lend, prefix, ONE_ATTEMPT,
                    pooled.address, () -> { }, System::nanoTime).loggedInAs(USER);
            feed.listen(() -> { });
            try {
                pooled.refusedOnce();
                assertFalse(feed.live(), "a user refused the channel subscribed");
                pooled.closeLentConnections();
                pooled.lendsOnlyConnectionsOfTheUser(prefix);
            } finally {
                feed.close();
            }
        }
    }

    @Test
    void leaseSubscriptionRefusedItsChannelLeavesThePoolLoggedInAsItsUser() {
        String prefix = RedisApps.uniquePrefix();
        try (Pooled pooled = new Pooled()) {
            RedisLeases leases = new RedisLeases(pooled.redis, pooled::lend, prefix, (command, fallback) -> command.get(),
                    ONE_ATTEMPT, pooled.address, USER);
            leases.listen();
            try {
                pooled.refusedOnce();
                assertFalse(leases.live(), "a user refused the channel subscribed");
                pooled.closeLentConnections();
                pooled.lendsOnlyConnectionsOfTheUser(prefix);
            } finally {
                leases.close();
            }
        }
    }

    /** The store's pool for the single server (its connections logged in by {@link BoundedLogin}), as the user. */
    private static final class Pooled implements AutoCloseable {

        final String address = "127.0.0.1:" + server.port();
        final PooledConnectionProvider provider;
        final UnifiedJedis redis;
        /** Every connection given to a subscription. */
        final List<Connection> lent = new CopyOnWriteArrayList<>();

        Pooled() {
            JedisClientConfig client = DefaultJedisClientConfig.builder().user(USER).password(PASSWORD)
                    .socketTimeoutMillis(2_000).build();
            provider = new PooledConnectionProvider(BoundedLogin.pooled(new HostAndPort("127.0.0.1", server.port()),
                    client));
            redis = new UnifiedJedis(provider);
        }

        Connection lend() {
            Connection connection = provider.getConnection();
            lent.add(connection);
            return connection;
        }

        /** Waits until a subscription was given a connection and its attempt ended: nothing of the pool is lent. */
        void refusedOnce() {
            Eventually.until(() -> !lent.isEmpty() && provider.getPool().getNumActive() == 0, DEADLINE,
                    () -> "the subscription's attempt did not end (" + lent.size() + " connections given, "
                            + provider.getPool().getNumActive() + " lent)");
        }

        /** What the eviction feed does to the connection it holds when its request goes unanswered, or it closes. */
        void closeLentConnections() {
            lent.forEach(Connection::disconnect);
        }

        /** Several commands at once, so that every idle connection of the pool is lent, each asked who it is. */
        void lendsOnlyConnectionsOfTheUser(String prefix) {
            List<Supplier<Object>> asked = List.of(
                    () -> redis.sendCommand(Protocol.Command.ACL, "WHOAMI"),
                    () -> redis.set(prefix + "k", "v"),
                    () -> redis.get(prefix + "k"),
                    () -> redis.sendCommand(Protocol.Command.PING, "in-step"));
            for (int round = 0; round < 3; round++) {
                List<Connection> held = new CopyOnWriteArrayList<>();
                try {
                    int idle = Math.max(1, provider.getPool().getNumIdle());
                    for (int i = 0; i < idle; i++) {
                        held.add(provider.getConnection());
                    }
                    for (Connection connection : held) {
                        assertEquals(USER, text(connection.executeCommand(
                                new CommandArguments(Protocol.Command.ACL).add("WHOAMI"))),
                                "a pooled connection logged in as another user");
                        assertEquals("in-step", text(connection.executeCommand(
                                new CommandArguments(Protocol.Command.PING).add("in-step"))),
                                "a pooled connection's reply to another command");
                    }
                } finally {
                    held.forEach(Connection::close);
                }
                assertEquals(USER, text(asked.get(0).get()));
                assertEquals("OK", asked.get(1).get());
                assertEquals("v", asked.get(2).get());
                assertEquals("in-step", text(asked.get(3).get()));
            }
        }

        private static String text(Object reply) {
            return new String((byte[]) reply, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            redis.close();
        }
    }
}
