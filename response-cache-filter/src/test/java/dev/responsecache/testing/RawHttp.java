package dev.responsecache.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.x exchange written and read as bytes, for what {@code java.net.http} does not show: the header lines in
 * the order and spelling they were sent, trailers, a request line of another version.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends {@code requestLine} with {@code Host: localhost}, then {@code headers} (each {@code Name: value}) and
     * {@code Connection: close}, to {@code 127.0.0.1:port} on a connection of its own; returns the whole answer.
     */
    public static String exchange(int port, String requestLine, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
