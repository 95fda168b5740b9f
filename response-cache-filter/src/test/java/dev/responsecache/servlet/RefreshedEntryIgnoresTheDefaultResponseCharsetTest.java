package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/**
 * A web application that sets its default response charset (Servlet 4.0 {@code <response-character-encoding>UTF-8},
 * {@code ServletContext.setResponseCharacterEncoding}), with a servlet that sets {@code text/html} without a charset and writes
 * with its writer: the container encodes in UTF-8 and sends {@code text/html;charset=utf-8}. A stale-while-revalidate
 * refresh runs the servlet into the cache's detached response, whose charset is ISO-8859-1 unless the servlet names
 * one: the refreshed entry holds ISO-8859-1 bytes.
 *
 * <p>What the client gets after the refresh: other body bytes ({@code 47 72 FC DF 65}, "Gr\u00fc\u00dfe" in ISO-8859-1)
 * under a type without a charset. What it should get: the UTF-8 bytes ({@code 47 72 C3 BC C3 9F 65}) under
 * {@code text/html;charset=utf-8}, as the miss and the hits before the refresh.
 */
class RefreshedEntryIgnoresTheDefaultResponseCharsetTest {

    static final class Greeting extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/html");
            response.getWriter().write("Gr\u00fc\u00dfe");
        }
    }

    @Test
    void refreshedEntryIsEncodedWithTheApplicationsDefaultCharset() {
        MutableClock clock = new MutableClock();
        Greeting servlet = new Greeting();
        TestServer server = TestServer.servlets();
        server.context().setAttribute(ResponseCacheProperties.CLOCK, clock);
        server.context().setInitParameter(ResponseCacheProperties.COALESCE_WAIT, "300s");
        // What <response-character-encoding> in web.xml sets.
        server.context().setDefaultResponseCharacterEncoding("UTF-8");
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "60");
        filter.setInitParameter("staleWhileRevalidate", "30");
        server.context().addFilter(filter, "/greeting", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new Greeting()), "/uncached");
        server.context().addServlet(new ServletHolder(servlet), "/greeting");
        try (TestServer running = server.start()) {
            byte[] utf8 = "Gr\u00fc\u00dfe".getBytes(StandardCharsets.UTF_8);
            HttpResponse<byte[]> uncached = running.get("/uncached");
            assertArrayEquals("Gr\u00fc\u00dfe".getBytes(StandardCharsets.UTF_8), uncached.body(), "without the cache");
            HttpResponse<byte[]> miss = running.get("/greeting");
            assertArrayEquals(utf8, miss.body());
            String sent = miss.headers().firstValue("Content-Type").orElseThrow();
            assertEquals("text/html;charset=utf-8", sent.toLowerCase(java.util.Locale.ROOT));

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", running.get("/greeting").headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> servlet.calls.get() == 2
                            && "HIT".equals(running.get("/greeting").headers().firstValue("X-Cache").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");

            HttpResponse<byte[]> refreshed = running.get("/greeting");
            assertEquals("0", refreshed.headers().firstValue("Age").orElseThrow(), "the refreshed entry");
            assertArrayEquals(utf8, refreshed.body(), "the bytes the servlet's writer sends");
            assertEquals(sent, refreshed.headers().firstValue("Content-Type").orElse("none"));
        }
    }
}
