package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.UUID;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A servlet response that creates a session, or a request that carries one, is not shared. */
class ServletSessionsTest {

    private TestServer server;

    @BeforeEach
    void start() {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        FilterHolder filter = new FilterHolder(ResponseCacheFilter.class);
        filter.setInitParameter("ttl", "60");
        context.addFilter(filter, "/cached/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                request.getSession(true).setAttribute("user", "alice");
                response.getWriter().print("welcome");
            }
        }), "/login");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                HttpSession session = request.getSession(false);
                Object user = session == null ? null : session.getAttribute("user");
                response.setContentType("text/plain");
                response.getWriter().print("hello " + (user == null ? "stranger" : user));
            }
        }), "/cached/greeting");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String token = UUID.randomUUID().toString();
                request.getSession(true).setAttribute("csrf", token);
                response.setContentType("text/plain");
                response.getWriter().print(token);
            }
        }), "/cached/token");
        server = TestServer.of(context).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servletPagePersonalisedFromASessionIsNotServedToAnAnonymousVisitor() {
        String cookie = server.getText("/login").headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> member = server.getText("/cached/greeting", "Cookie", cookie);
        assertEquals("hello alice", member.body());
        assertTrue(member.headers().firstValue("Cache-Status").orElseThrow().contains("detail=session"));
        HttpResponse<String> anonymous = server.getText("/cached/greeting");
        assertEquals("hello stranger", anonymous.body());
        assertEquals("MISS", anonymous.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void servletResponseThatCreatesASessionIsNeverStored() {
        HttpResponse<String> first = server.getText("/cached/token");
        HttpResponse<String> second = server.getText("/cached/token");
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(second.headers().firstValue("Set-Cookie").isPresent());
        assertNotEquals(first.body(), second.body());
        assertTrue(first.headers().firstValue("Cache-Status").orElseThrow().endsWith("; detail=session"),
                "says why it is not stored");
    }
}
