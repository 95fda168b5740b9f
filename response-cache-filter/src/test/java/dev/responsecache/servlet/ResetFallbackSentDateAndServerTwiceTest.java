package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fallback paths of the servlet filter reset the response and set the lines filters in front had set again. On
 * Jetty the reset keeps the container's own {@code Date} and {@code Server} lines, which were among those noted before
 * the application ran, so they went out twice. Read off the wire, where the duplicate shows.
 */
class ResetFallbackSentDateAndServerTwiceTest {

    /** 200 on its first call, then a 500: the stale entry answers it (stale-if-error). */
    static final class FailingAfterFirst extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            if (calls.incrementAndGet() == 1) {
                response.getWriter().write("fresh");
            } else {
                response.setStatus(500);
                response.getWriter().write("down");
            }
        }
    }

    /** A filter in front that sets a line of its own, which the fallbacks must keep once. */
    public static final class RequestIdFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            ((HttpServletResponse) response).addHeader("X-Request-Id", "r1");
            chain.doFilter(request, response);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleAnswerInPlaceOfAnErrorSendsEachLineOnce(Container container) throws IOException {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("id", new RequestIdFilter(), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "1", "staleIfError", "600")
                .servlet("page", new FailingAfterFirst(), "/page/*"))) {
            assertTrue(raw(app, "/page/a").endsWith("fresh"), container.toString());
            clock.advance(Duration.ofSeconds(5));
            String stale = raw(app, "/page/a");
            assertTrue(stale.endsWith("fresh"), container + ": " + stale);
            assertEachLineOnce(container, stale);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void errorGivenAgainAfterAStaleAnswerThatCouldNotBeWrittenSendsEachLineOnce(Container container)
            throws IOException {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("id", new RequestIdFilter(), "/page/*")
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "1", "staleIfError", "600")
                .servlet("page", new FailingAfterFirst(), "/page/*"))) {
            assertTrue(raw(app, "/page/a").endsWith("fresh"), container.toString());
            clock.advance(Duration.ofSeconds(5));
            String own = raw(app, "/page/a");
            assertTrue(own.startsWith("HTTP/1.1 500") && own.endsWith("down"), container + ": " + own);
            assertEachLineOnce(container, own);
        }
    }

    private static void assertEachLineOnce(Container container, String response) {
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        for (String name : new String[] {"date", "server", "x-request-id", "content-type"}) {
            long lines = Arrays.stream(head.split("\r\n"))
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":")).count();
            assertTrue(lines <= 1, container + ": " + name + " sent " + lines + " times\n" + head);
        }
        assertEquals(1, Arrays.stream(head.split("\r\n"))
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("x-request-id:")).count(), head);
    }

    private static String raw(Container.Running app, String path) throws IOException {
        URI uri = app.uri(path);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
