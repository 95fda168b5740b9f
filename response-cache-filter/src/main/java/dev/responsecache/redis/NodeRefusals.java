package dev.responsecache.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The refusals met by a question the store asks each node in the background (the sentinels asked where the primary
 * is, the Cluster nodes asked for the slot map), logged once per node and episode. Jedis asks the next node when one
 * refuses, and says nothing: a user whose ACL lacks the command (after an {@code ACL SETUSER}, or on one node only)
 * left the store silently unable to follow a failover or a resharding. One warning when a node first refuses (its
 * address, the user, the command and the rule that grants it, or the login), one INFO line when it answers again.
 * The episodes go on in the store that replaces this one ({@link #continues}), as the store's other logs do.
 */
final class NodeRefusals {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    /** What was refused, shown in place of a command for a refused login. */
    private static final String LOGIN = "the login";

    private final String nodes;
    private final String user;
    private final String command;
    private final String rule;
    private final String credentials;
    private final String consequence;
    /** What each node with an open episode refused: the command or {@link #LOGIN}. */
    private final Map<HostAndPort, String> open = new HashMap<>();

    /**
     * @param nodes       what a node is, for the log ("Redis Sentinel", "Redis Cluster node")
     * @param user        the ACL user the store logs in as, or null for {@code default}
     * @param command     the command asked, as Redis names it in an ACL error ({@code CLUSTER SLOTS})
     * @param rule        the ACL rule that grants it ({@code +cluster|slots})
     * @param credentials the settings that hold the user and password
     * @param consequence what the store cannot do while every node refuses
     */
    NodeRefusals(String nodes, String user, String command, String rule, String credentials, String consequence) {
        this.nodes = nodes;
        this.user = user == null ? "default" : user;
        this.command = command;
        this.rule = rule;
        this.credentials = credentials;
        this.consequence = consequence;
    }

    /** {@code node} refused the command (an error reply, mostly {@code NOPERM}). */
    void commandRefused(HostAndPort node, JedisException reply) {
        if (opened(node, command)) {
            LOG.warn(nodes + " at " + node + " refused " + command + " to user '" + user + "' (" + reply.getMessage()
                    + "): " + consequence + ". Grant it on that node: ACL SETUSER " + user + " " + rule
                    + " (logged once until it answers)");
        }
    }

    /** {@code node} refused the login ({@code WRONGPASS}, a user switched off or without the right to connect). */
    void loginRefused(HostAndPort node, JedisException reply) {
        if (opened(node, LOGIN)) {
            LOG.warn(nodes + " at " + node + " refused the login of user '" + user + "' (" + reply.getMessage()
                    + "): " + consequence + ". Check " + credentials + " and the user's ACL on that node"
                    + " (logged once until it answers)");
        }
    }

    /** {@code node} answered the command: its episode, if any, ends. */
    synchronized void answered(HostAndPort node) {
        String refused = open.remove(node);
        if (refused != null) {
            LOG.info(nodes + " at " + node + " answers " + command + " to user '" + user + "' again (it had refused "
                    + (refused.equals(LOGIN) ? LOGIN : "the command") + ")");
        }
    }

    /** The nodes that refused when last asked, so that they are asked again and their recovery is seen. */
    synchronized Set<HostAndPort> refusingNodes() {
        return Set.copyOf(open.keySet());
    }

    /** Takes over the episodes of the log of the store this one replaces: not warned of again, ended here. */
    void continues(NodeRefusals previous) {
        Map<HostAndPort, String> taken;
        synchronized (previous) {
            taken = new HashMap<>(previous.open);
        }
        synchronized (this) {
            taken.forEach(open::putIfAbsent);
        }
    }

    /** Whether a new episode starts: the node refused nothing before, or something else. */
    private synchronized boolean opened(HostAndPort node, String what) {
        return !what.equals(open.put(node, what));
    }
}
