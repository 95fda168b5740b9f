package dev.responsecache.redis;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A connection to one Cluster node through which Jedis reads the slot map ({@link BackgroundSlotMap}). Jedis catches
 * every {@link JedisException} of that read and asks the next node without a word; a failed {@code CLUSTER} command
 * on this connection is thrown as {@link NotAnswered} instead, which Jedis lets through, so that the caller sees which
 * node refused and why, and asks the next one itself. Connects and logs in when built.
 */
final class SlotMapConnection extends Connection {

    SlotMapConnection(HostAndPort node, JedisClientConfig client) {
        super(node, client);
    }

    @Override
    public Object executeCommand(CommandArguments args) {
        try {
            return super.executeCommand(args);
        } catch (JedisException failed) {
            if (args.getCommand() == Protocol.Command.CLUSTER) {
                throw new NotAnswered(failed);
            }
            throw failed;
        }
    }

    /** The node did not answer the slot map's command: its error reply or its connection's fault is the cause. */
    static final class NotAnswered extends RuntimeException {

        private static final long serialVersionUID = 1L;

        NotAnswered(JedisException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
