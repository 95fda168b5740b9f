package dev.responsecache.redis;

/**
 * How the store reads a hit's value: one {@code GET}, sent on a connection the hits share with each other
 * ({@link PipelinedReads} on one server, {@link SentinelPipelinedReads} on the primary the sentinels name,
 * {@link ClusterPipelinedReads} on the primary that serves the key's slot), or through the pool when that cannot be.
 */
interface HitReads extends AutoCloseable {

    /**
     * The value at {@code key}, or null; throws as a pooled {@code GET} does. Hands back {@code expected} itself (may
     * be null) when Redis holds its very bytes and the reply came through a pipelined connection.
     */
    byte[] get(byte[] key, byte[] expected);

    /** Closes the connections; their reader threads end. */
    @Override
    void close();
}
