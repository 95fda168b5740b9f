package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A pipelined connection's reader thread starts on the request that opens the connection (the first hit, a
 * reconnection after a failover) and lives as long as the connection: it kept that request thread's context class
 * loader, an application's, from collection after the application stopped.
 */
class PipelinedReaderKeepsNothingOfTheRequestThreadTest {

    @Test
    void readerStartedOnARequestThreadKeepsNotItsClassLoader() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             URLClassLoader application = new URLClassLoader(new URL[0], previous)) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
            String address = "reader-test:" + server.getLocalPort();
            Thread.currentThread().setContextClassLoader(application);
            PipelinedConnection connection;
            try {
                connection = new PipelinedConnection(socket, address, TimeUnit.SECONDS.toNanos(5), System::nanoTime);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
            try {
                Thread reader = Thread.getAllStackTraces().keySet().stream()
                        .filter(thread -> thread.getName().equals("response-cache-redis-reader " + address))
                        .findFirst().orElse(null);
                assertNotNull(reader, "the reader runs until the connection closes");
                assertNull(reader.getContextClassLoader());
            } finally {
                connection.close(1_000);
            }
        }
    }
}
