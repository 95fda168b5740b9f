package dev.responsecache.redis;

import java.util.concurrent.locks.ReentrantLock;

/**
 * What other threads send on a standing subscription ({@code UNSUBSCRIBE} at a close or a failover, a {@code PING}),
 * only while its connection is the subscription's. Jedis's subscription keeps its connection once it ended (Redis
 * dropped it, a read failed) and still counts its channels, and a command sent then on that connection, discarded by
 * {@link SubscriptionConnections}, makes Jedis open a new socket for it without logging it in ({@code AUTH},
 * {@code SELECT}): a connection as the default user that nobody closes. So a send and the end are serialised: a send
 * either reaches the subscription's own connection or is not made.
 */
final class SubscriptionSends {

    /** A lock, not a monitor: a send writes to Redis under it (see RUNTIMES.md on virtual threads). */
    private final ReentrantLock lock = new ReentrantLock();
    private boolean ended;

    /** Runs {@code send} unless the subscription's connection ended; says whether it ran. */
    boolean unlessEnded(Runnable send) {
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            send.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The subscription ended: nothing is sent on its connection from now on. Called before it is discarded. */
    void end() {
        lock.lock();
        try {
            ended = true;
        } finally {
            lock.unlock();
        }
    }
}
