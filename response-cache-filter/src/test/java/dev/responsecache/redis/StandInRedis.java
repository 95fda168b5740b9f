package dev.responsecache.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.LongSupplier;

/**
 * Redis as a test plays it: one accepted connection that answers only what and when the test writes, with the
 * {@link PipelinedConnection} on the other end.
 */
final class StandInRedis implements AutoCloseable {

    private final ServerSocket server;
    /** The stand-in's end of the connection: what the pipelined connection writes is read here, replies written. */
    final Socket served;
    final PipelinedConnection connection;

    StandInRedis(long timeoutNanos, LongSupplier nanoTime) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        served = server.accept();
        connection = new PipelinedConnection(client, "stand-in", timeoutNanos, nanoTime);
    }

    @Override
    public void close() throws IOException {
        connection.close(10_000);
        served.close();
        server.close();
    }
}
