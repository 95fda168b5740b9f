package dev.responsecache.redis;

import redis.clients.jedis.Connection;

/**
 * The connection a standing subscription (lease releases, the eviction feed) was made on ends with it: it is never
 * lent again by its pool. The eviction feed closes its subscription's connection from other threads (a {@code PING}
 * unanswered, a {@code SUBSCRIBE} unanswered, the store closing), and may do so just after the subscription ended; a
 * connection back in the pool by then would be closed while idle there, and Jedis reconnects a closed connection on
 * its next use without logging it in ({@code AUTH}, {@code SELECT}): the next request's commands would run as the
 * default user on database 0, and a subscription made on it would be allowed channels the configured user is refused.
 * A subscription's connection also carries what pooled commands must not meet: a read timeout set to none while it
 * waits, and replies still on their way when it ends (a {@code PING}'s pong, an {@code UNSUBSCRIBE} sent twice), which
 * a later command would read as its own.
 */
final class SubscriptionConnections {

    private SubscriptionConnections() {
    }

    /** Closes {@code used}, whose subscription ended, and takes it out of its pool for good. */
    static void discard(Connection used) {
        // A broken connection is destroyed by its pool rather than kept idle; one of no pool is simply closed.
        used.setBroken();
        try {
            used.close();
        } catch (RuntimeException e) {
            System.getLogger("dev.responsecache").log(System.Logger.Level.DEBUG,
                    "closing a subscription's connection: " + e);
        }
    }
}
