package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet writing, with an ISO-8859-1 writer, characters that charset cannot hold (an emoji: two UTF-16 chars):
 * the container replaces them in its own way (Jetty with one {@code ?} per char, the JDK's encoder with one for the
 * pair), which the copy cannot know. Stored, the JDK's copy answered hits with one {@code ?} where the client got two:
 * such a body is sent as the container writes it and not stored, and the miss says why.
 */
class UnmappableCharactersTest {

    private static final String TEXT = "price 10 \u20ac \uD83D\uDE00 ok";

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "60");
        server.context().addFilter(filter, "/cached/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder page = new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain;charset=ISO-8859-1");
                response.getWriter().write(TEXT);
            }
        });
        server.context().addServlet(page, "/cached/price");
        server.context().addServlet(page, "/plain/price");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void bodyWithCharactersTheWritersCharsetCannotEncodeIsSentAsWithoutTheCacheAndNotStored() {
        byte[] uncached = server.get("/plain/price").body();
        HttpResponse<byte[]> miss = server.get("/cached/price");
        assertEquals(new String(uncached, StandardCharsets.ISO_8859_1),
                new String(miss.body(), StandardCharsets.ISO_8859_1));
        assertEquals("ResponseCache; fwd=uri-miss; detail=unmappable",
                miss.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<byte[]> again = server.get("/cached/price");
        assertEquals("MISS", again.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(new String(uncached, StandardCharsets.ISO_8859_1),
                new String(again.body(), StandardCharsets.ISO_8859_1));
    }
}
