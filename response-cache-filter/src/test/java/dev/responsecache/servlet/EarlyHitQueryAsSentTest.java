package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The opt-in early hits in front of Jersey look a path up with the policy of the method that stored it: a method
 * reading its query as sent ({@code @Encoded}) is keyed so there too, and a method reading it decoded still shares
 * its entry among the spellings of one query there.
 */
class EarlyHitQueryAsSentTest {

    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig(Raw.class, Decoded.class).register(ResponseCacheFeature.class)
                .register(EarlyHitsTest.EnteredJersey.class);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(app)), "/api/*");
        server = TestServer.of(context).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private int enteredJersey() {
        AtomicInteger count = (AtomicInteger) server.context().getServletContext().getAttribute("entered-jersey");
        return count == null ? 0 : count.get();
    }

    /**
     * A GET written on a socket as given ({@code java.net.http} refuses {@code [} in a URI): the status line, the
     * headers and the body as the server sent them, over HTTP/1.0 so that the body is never chunked.
     */
    private String rawGet(String pathAndQuery) throws IOException {
        try (Socket socket = new Socket("localhost", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void encodedQueryParameterIsNotAnsweredEarlyWithAnotherSpellingsResponse() {
        assertEquals("q as sent: a%20b", server.getText("/api/raw?q=a%20b").body());
        assertEquals("HIT", cache(server.getText("/api/raw?q=a%20b")));
        assertEquals(1, enteredJersey(), "the hit answered in front of Jersey");
        HttpResponse<String> plus = server.getText("/api/raw?q=a+b");
        assertEquals("q as sent: a+b", plus.body(), "X-Cache: " + cache(plus));
        assertEquals("HIT", cache(server.getText("/api/raw?q=a+b")));
        assertEquals(2, enteredJersey(), "the hit answered in front of Jersey");
    }

    @Test
    void queryWithCharactersJerseyReencodesIsLeftToJerseyWhichAnswersItsHit() throws IOException {
        String miss = rawGet("/api/raw?q=[a]|{b}");
        assertTrue(miss.startsWith("HTTP/1.1 200"), miss);
        assertTrue(miss.endsWith("q as sent: %5Ba%5D%7C%7Bb%7D"), miss);
        String hit = rawGet("/api/raw?q=[a]|{b}");
        assertTrue(hit.contains("X-Cache: HIT"), hit);
        assertTrue(hit.endsWith("q as sent: %5Ba%5D%7C%7Bb%7D"), hit);
        assertEquals(2, enteredJersey(), "the early path declines a query Jersey spells otherwise");
        // The spelling Jersey keyed it on is answered in front of Jersey.
        HttpResponse<String> encoded = server.getText("/api/raw?q=%5Ba%5D%7C%7Bb%7D");
        assertEquals("HIT", cache(encoded));
        assertEquals("q as sent: %5Ba%5D%7C%7Bb%7D", encoded.body());
        assertEquals(2, enteredJersey());
    }

    @Test
    void decodedQueryParameterIsAnsweredEarlyForAnySpelling() {
        assertEquals("q: a b", server.getText("/api/decoded?q=a%20b").body());
        HttpResponse<String> plus = server.getText("/api/decoded?q=a+b");
        assertEquals("HIT", cache(plus));
        assertEquals("q: a b", plus.body());
        assertEquals(1, enteredJersey(), "the hit answered in front of Jersey");
    }

    @Path("raw")
    public static final class Raw {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@Encoded @QueryParam("q") String q) {
            return "q as sent: " + q;
        }
    }

    @Path("decoded")
    public static final class Decoded {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String get(@QueryParam("q") String q) {
            return "q: " + q;
        }
    }
}
