package dev.responsecache.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that cannot listen on port 0 and say which port they got ({@code redis-server}: its port 0 turns
 * TCP off). A port is drawn below the kernel's ephemeral range ({@code ip_local_port_range}, from 32768 by default),
 * which the kernel never hands to an outgoing connection or to a bind to port 0. So a server stopped and started again
 * on its port (an outage test) never finds it taken meanwhile by some client's connection, a client that keeps
 * connecting to a stopped server's port is never connected to itself (TCP self-connect happens only within that
 * range), and a cluster node's bus port (its port + {@value #BUS_OFFSET}) is below the range too. Another process may
 * still draw a free port at the same moment and bind it first: whoever starts a server on a drawn port starts it again
 * on another one when it was taken. For the same reason a test that needs an address where nothing listens draws it
 * here, not from a socket bound to port 0 and closed again: that port is in the ephemeral range, and a client
 * connecting to it may be given it as its own port and connect to itself.
 */
public final class LocalPorts {

    /** Redis Cluster's bus listens on the node's port plus this. */
    static final int BUS_OFFSET = 10_000;
    private static final int LOWEST = 10_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;

    private LocalPorts() {
    }

    /** A port no one listens on now, below the ephemeral range with room for a cluster bus port above it. */
    public static int free() {
        int end = ephemeralStart() - BUS_OFFSET;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, Math.max(end, LOWEST + 1_000));
            if (bindable(port) && bindable(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found below " + end);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Not reusing the address: a port still in TIME_WAIT would fail a server that does not reuse it.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
