package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code varyBy} cookie or header a request sends more than once: the key reads one value (the first cookie, every
 * header line joined with a comma), the servlet may read another (the usual loop over {@code getCookies()} keeps the
 * last; {@code getHeader} gives the first line). Two requests the servlet answers differently must never share an
 * entry, else one crafted request chooses what everyone sending the plain value gets.
 */
class RepeatedKeyedRequestPartsTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        FilterHolder byCookie = new FilterHolder(ResponseCacheFilter.class);
        byCookie.setInitParameter("ttl", "60");
        byCookie.setInitParameter("varyBy", "cookie:lang");
        server.context().addFilter(byCookie, "/cookie", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder byHeader = new FilterHolder(ResponseCacheFilter.class);
        byHeader.setInitParameter("ttl", "60");
        byHeader.setInitParameter("varyBy", "header:X-Tenant");
        server.context().addFilter(byHeader, "/header", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String lang = "en";
                Cookie[] cookies = request.getCookies();
                if (cookies != null) {
                    for (Cookie cookie : cookies) {
                        if (cookie.getName().equals("lang")) {
                            lang = cookie.getValue();
                        }
                    }
                }
                response.setContentType("text/plain");
                response.getOutputStream().write(("page in " + lang).getBytes(StandardCharsets.UTF_8));
            }
        }), "/cookie");
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getOutputStream().write(("tenant " + request.getHeader("X-Tenant"))
                        .getBytes(StandardCharsets.UTF_8));
            }
        }), "/header");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keyedCookieSentTwiceNeverAnswersARequestThatSendsItOnce() {
        HttpResponse<String> crafted = server.getText("/cookie", "Cookie", "lang=de; lang=fr");
        assertEquals("page in fr", crafted.body());
        HttpResponse<String> plain = server.getText("/cookie", "Cookie", "lang=de");
        assertEquals("page in de", plain.body(), "X-Cache: " + plain.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void keyedHeaderSentOnTwoLinesNeverAnswersARequestThatSendsOneLine() throws Exception {
        HttpResponse<byte[]> crafted = server.send(server.request("/header").GET()
                .header("X-Tenant", "acme").header("X-Tenant", "globex").build());
        assertEquals("tenant acme", new String(crafted.body(), StandardCharsets.UTF_8));
        HttpRequest oneLine = server.request("/header").GET().header("X-Tenant", "acme,globex").build();
        HttpResponse<byte[]> plain = server.send(oneLine);
        assertEquals("tenant acme,globex", new String(plain.body(), StandardCharsets.UTF_8),
                "X-Cache: " + plain.headers().firstValue("X-Cache").orElse("none"));
    }
}
