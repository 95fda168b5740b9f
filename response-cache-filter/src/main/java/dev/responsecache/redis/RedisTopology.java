package dev.responsecache.redis;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which Redis deployment the store talks to, and its addresses: one server, a Cluster given by seed nodes, or a
 * primary found through Sentinel. Login, TLS and database come from the same URI for every form.
 *
 * @param kind             single, cluster or sentinel
 * @param nodes            the server, the cluster's seed nodes, or the sentinels (each with the URI's login and TLS)
 * @param sentinelMaster   the primary's name in the sentinels' configuration; null unless sentinel
 * @param sentinelUser     ACL user for the sentinels themselves, or null
 * @param sentinelPassword password for the sentinels themselves, or null
 */
record RedisTopology(Kind kind, List<RedisUri> nodes, String sentinelMaster, String sentinelUser,
                     String sentinelPassword) {

    enum Kind { SINGLE, CLUSTER, SENTINEL }

    /** The host list of a URI: {@code scheme://[userinfo@]host[:port][,host[:port]...][/database]}. */
    private static final Pattern LIST = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#]*@)?([^/?#]*)(.*)$",
            Pattern.DOTALL);

    RedisTopology {
        Objects.requireNonNull(kind, "kind");
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no nodes");
        }
    }

    /** Every part but the sentinels' password (the nodes hide theirs, {@link RedisUri#toString}). */
    @Override
    public String toString() {
        return "RedisTopology[kind=" + kind + ", nodes=" + nodes + ", sentinelMaster=" + sentinelMaster
                + ", sentinelUser=" + sentinelUser + ", sentinelPassword=" + (sentinelPassword == null ? null : "****")
                + "]";
    }

    /**
     * Whether {@code other} reaches the same deployment the same way: the same kind, primary name and sentinels' login,
     * and the same nodes in any order. A Cluster's seeds only find the cluster and the sentinels are asked alike, so
     * the same addresses listed in another order are the same connections, not another store with its own episodes.
     */
    boolean sameDeployment(RedisTopology other) {
        return kind == other.kind && Set.copyOf(nodes).equals(Set.copyOf(other.nodes))
                && Objects.equals(sentinelMaster, other.sentinelMaster)
                && Objects.equals(sentinelUser, other.sentinelUser)
                && Objects.equals(sentinelPassword, other.sentinelPassword);
    }

    /** The first node: the login, TLS and database every node shares. */
    RedisUri uri() {
        return nodes.get(0);
    }

    /** For log lines: {@code host:port}, or the kind and every address. */
    String address() {
        if (kind == Kind.SINGLE) {
            return uri().address();
        }
        String all = nodes.stream().map(RedisUri::address).collect(Collectors.joining(","));
        return kind == Kind.CLUSTER ? "cluster " + all : "sentinel master " + sentinelMaster + " via " + all;
    }

    static RedisTopology from(PropertyValues properties) {
        String uri = properties.string(ResponseCacheProperties.REDIS_URI);
        String kindText = properties.string(ResponseCacheProperties.REDIS_TOPOLOGY, "single");
        Kind kind = kind(properties);
        List<RedisUri> nodes = parseList(uri);
        if (kind == Kind.SINGLE && nodes.size() > 1) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.REDIS_URI, RedisUri.redacted(uri),
                    "one host: a list of hosts needs " + ResponseCacheProperties.REDIS_TOPOLOGY
                            + "=cluster or sentinel");
        }
        if (kind == Kind.CLUSTER && nodes.get(0).database() != 0) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.REDIS_URI, RedisUri.redacted(uri),
                    "database 0: Redis Cluster has no other");
        }
        String master = properties.string(ResponseCacheProperties.REDIS_SENTINEL_MASTER);
        if (kind == Kind.SENTINEL && (master == null || master.isBlank())) {
            throw new ResponseCacheConfigException(ResponseCacheProperties.REDIS_SENTINEL_MASTER + " must be set when "
                    + ResponseCacheProperties.REDIS_TOPOLOGY + "=sentinel: the primary's name in the sentinels'"
                    + " configuration (sentinel monitor <name> ...)");
        }
        if (kind != Kind.SENTINEL) {
            for (String name : List.of(ResponseCacheProperties.REDIS_SENTINEL_MASTER,
                    ResponseCacheProperties.REDIS_SENTINEL_USER, ResponseCacheProperties.REDIS_SENTINEL_PASSWORD)) {
                if (properties.string(name) != null) {
                    throw new ResponseCacheConfigException(name + " is set but " + ResponseCacheProperties.REDIS_TOPOLOGY
                            + " is " + kindText + ": set " + ResponseCacheProperties.REDIS_TOPOLOGY + "=sentinel");
                }
            }
        }
        return new RedisTopology(kind, nodes, kind == Kind.SENTINEL ? master.trim() : null,
                properties.string(ResponseCacheProperties.REDIS_SENTINEL_USER),
                properties.string(ResponseCacheProperties.REDIS_SENTINEL_PASSWORD));
    }

    /** The value of {@link ResponseCacheProperties#REDIS_TOPOLOGY}, checked. */
    static Kind kind(PropertyValues properties) {
        String kindText = properties.string(ResponseCacheProperties.REDIS_TOPOLOGY, "single");
        try {
            return Kind.valueOf(kindText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.REDIS_TOPOLOGY, kindText,
                    "single, cluster or sentinel");
        }
    }

    /** One URI per host of a comma-separated host list, all with the list's scheme, login and database. */
    static List<RedisUri> parseList(String text) {
        if (text == null || text.indexOf(',') < 0) {
            return List.of(RedisUri.parse(text));
        }
        Matcher m = LIST.matcher(text);
        if (!m.matches()) {
            return List.of(RedisUri.parse(text));
        }
        String login = m.group(2) == null ? "" : m.group(2);
        List<RedisUri> nodes = new ArrayList<>();
        for (String host : m.group(3).split(",", -1)) {
            try {
                nodes.add(RedisUri.parse(m.group(1) + login + host.trim() + m.group(4)));
            } catch (ResponseCacheConfigException e) {
                // Report the whole value, not the one host rebuilt from it.
                throw ResponseCacheConfigException.badValue(ResponseCacheProperties.REDIS_URI, RedisUri.redacted(text),
                        "redis://[[user]:password@]host[:port][,host[:port]...][/database], or rediss://... for TLS");
            }
        }
        return nodes;
    }
}
