package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import redis.clients.jedis.Protocol;

/**
 * With the servlet filter and the JAX-RS feature in one application and Redis answering but refusing the store's
 * standing subscriptions (an ACL user without the pub/sub commands, or without the channels), the one refusal was
 * warned of twice: the filter's cache asked for leases, whose subscription was refused and warned, then the Jersey
 * servlet's property reopened the cache, and the new store's subscription, started before the store was told it
 * replaced the first one, warned again. Now the subscription starts with the store and goes on with the replaced
 * store's episode: one warning, which names the permission to grant; the eviction feed of a near tier alike. A refused
 * login is the store's to report (once): the subscriptions say nothing of their own about it.
 *
 * <p>Redis's {@code ACL LOG} counts each refusal, so the test waits until the reopened store's subscription was refused
 * twice (its second attempt follows the report of its first) instead of for a while.
 */
@ExtendWith(CacheLoggerAtInfo.class)
class RefusedSubscriptionWarnedTwiceWhenTheJaxrsFeatureReopenedTheCacheIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path webapp;

    private final String id = UUID.randomUUID().toString().replace("-", "");
    private final String prefix = "rc-test-" + id + ":";
    private final String user = "subscriber-" + id;

    @Test
    void leaseSubscriptionOfAUserWithoutPubSubIsOneWarningNamingThePermission() {
        withUser(List.of("+@all", "-@pubsub"), () -> {
            try (LogCapture log = LogCapture.of("dev.responsecache");
                 TestServer server = start(login("s3cret"), "0")) {
                servesUncachedWhereItMust(server);
                refusedTwiceMore(() -> refusals("command", "subscribe"));
                List<String> lines = reopened(log);
                assertEquals(1, count(lines, refusal(prefix + "leases")), lines::toString);
                assertTrue(lines.stream().filter(line -> line.startsWith(refusal(prefix + "leases"))).findFirst()
                        .orElseThrow().contains("ACL SETUSER " + user + " +subscribe +publish &" + prefix + "leases"),
                        lines::toString);
                assertEquals(0, count(lines, "Redis lease releases from"), lines::toString);
                // A lease released while the channel is refused is released all the same, not a failed write.
                assertEquals(0, count(lines, "Redis writes to"), lines::toString);
            }
        });
    }

    @Test
    void leaseAndEvictionFeedSubscriptionsOfAUserWithoutTheChannelsAreOneWarningEach() {
        withUser(List.of("+@all", "resetchannels"), () -> {
            try (LogCapture log = LogCapture.of("dev.responsecache");
                 TestServer server = start(login("s3cret"), "100")) {
                servesUncachedWhereItMust(server);
                refusedTwiceMore(() -> refusals("channel", prefix + "leases"));
                refusedTwiceMore(() -> refusals("channel", prefix + "evictions"));
                List<String> lines = reopened(log);
                assertEquals(1, count(lines, refusal(prefix + "leases")), lines::toString);
                assertEquals(1, count(lines, refusal(prefix + "evictions")), lines::toString);
                assertEquals(0, count(lines, "Redis lease releases from"), lines::toString);
                assertEquals(0, count(lines, "Redis eviction feed from"), lines::toString);
                assertEquals(0, count(lines, "Redis writes to"), lines::toString);
            }
        });
    }

    @Test
    void refusedLoginIsTheStoresToReportOnceAndNotTheLeaseSubscriptions() {
        withUser(List.of("+@all"), () -> {
            try (LogCapture log = LogCapture.of("dev.responsecache");
                 TestServer server = start(login("not-the-password"), "0")) {
                servesUncachedWhereItMust(server);
                refusedTwiceMore(() -> refusals("auth", "AUTH"));
                List<String> lines = reopened(log);
                assertEquals(1, lines.stream().filter(line -> line.contains(" refused the login (")).count(),
                        lines::toString);
                assertEquals(0, count(lines, "Redis lease releases from"), lines::toString);
                assertEquals(0, lines.stream().filter(line -> line.contains(prefix + "leases")).count(),
                        lines::toString);
            }
        });
    }

    /**
     * The read timeout is generous: it also bounds each login, and every attempt to subscribe logs a new connection in
     * (a subscription's connection is never lent again), so on a loaded machine the default 200 ms would make a slow
     * login a fault of the feed, warned of, besides the refusals this test counts.
     */
    private TestServer start(String uri, String nearEntries) {
        String contextParams = """
                  <context-param><param-name>responsecache.store</param-name><param-value>redis</param-value></context-param>
                  <context-param><param-name>responsecache.redis.uri</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>responsecache.redis.key-prefix</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>responsecache.redis.cool-down</param-name><param-value>100ms</param-value></context-param>
                  <context-param><param-name>responsecache.redis.read-timeout</param-name><param-value>10s</param-value></context-param>
                  <context-param><param-name>responsecache.near-cache.max-entries</param-name><param-value>%s</param-value></context-param>
                  <filter>""".formatted(uri, prefix, nearEntries);
        String webXml = WebApps.filterWebXml("ttl", "60").replaceFirst("  <filter>", contextParams)
                .replace("</web-app>", WebApps.JERSEY_SERVLET_RAISING_MAX_BODY_SIZE);
        return WebApps.startWithWebXml(webapp.resolve("app"), webXml);
    }

    /** The store's faults never reach a response: both components answer (the Jersey one takes and releases leases). */
    private static void servesUncachedWhereItMust(TestServer server) {
        assertEquals(200, server.getText("/api/items/1").statusCode());
        assertEquals(200, server.getText("/api/items/1").statusCode());
        assertEquals(200, server.getText("/reports/1").statusCode());
    }

    /**
     * Waits until Redis refused {@code counted} twice more: the cache was reopened (the deployment is done and the
     * replaced store closed, its subscriptions ended), so these are the reopened store's, and its second attempt
     * follows the report of its first.
     */
    private static void refusedTwiceMore(LongSupplier counted) {
        long before = counted.getAsLong();
        Eventually.until(() -> counted.getAsLong() >= before + 2, DEADLINE,
                () -> "Redis refused the subscription " + (counted.getAsLong() - before) + " times since the reopen; "
                        + redis.client().sendCommand(Protocol.Command.ACL, "LOG") + "\nthe cache's threads:\n"
                        + threads());
    }

    /** The stacks of the cache's threads, for a wait that fails: what its subscriptions were doing. */
    private static String threads() {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("response-cache")) {
                out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    out.append("    ").append(frame).append('\n');
                }
            }
        });
        return out.toString();
    }

    private static List<String> reopened(LogCapture log) {
        List<String> lines = log.messagesAtLeast(Level.INFO);
        assertEquals(1, count(lines, "Response cache reopened for application"), lines::toString);
        return log.messagesAtLeast(Level.WARNING);
    }

    private String refusal(String channel) {
        URI server = URI.create(redis.uri());
        return "Redis at " + server.getHost() + ":" + server.getPort() + " refused user '" + user
                + "' the subscription to " + channel + " (NOPERM";
    }

    private static long count(List<String> lines, String start) {
        return lines.stream().filter(line -> line.startsWith(start)).count();
    }

    private String login(String password) {
        URI server = URI.create(redis.uri());
        return "redis://" + user + ":" + password + "@" + server.getHost() + ":" + server.getPort() + "/0";
    }

    private void withUser(List<String> rules, Runnable test) {
        List<String> args = new ArrayList<>(List.of("SETUSER", user, "on", ">s3cret", "~" + prefix + "*"));
        args.addAll(rules);
        redis.client().sendCommand(Protocol.Command.ACL, args.toArray(String[]::new));
        try {
            test.run();
        } finally {
            redis.client().sendCommand(Protocol.Command.ACL, "DELUSER", user);
        }
    }

    /**
     * How many times Redis refused this test's user {@code object} for {@code reason} ({@code ACL LOG}), outside
     * scripts: a lease released while the channel is refused is refused its {@code PUBLISH} inside the release script.
     */
    private long refusals(String reason, String object) {
        long total = 0;
        for (Object entry : (List<?>) redis.client().sendCommand(Protocol.Command.ACL, "LOG")) {
            Map<String, Object> fields = new HashMap<>();
            List<?> pairs = (List<?>) entry;
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                fields.put(text(pairs.get(i)), pairs.get(i + 1) instanceof byte[] ? text(pairs.get(i + 1))
                        : pairs.get(i + 1));
            }
            if (user.equals(fields.get("username")) && reason.equals(fields.get("reason"))
                    && object.equals(fields.get("object")) && !"lua".equals(fields.get("context"))) {
                total += (Long) fields.get("count");
            }
        }
        return total;
    }

    private static String text(Object value) {
        return new String((byte[]) value, StandardCharsets.UTF_8);
    }
}
