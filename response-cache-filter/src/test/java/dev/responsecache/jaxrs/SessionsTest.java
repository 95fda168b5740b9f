package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JAX-RS response that creates a container session, or a request that carries one, is not shared. */
class SessionsTest {

    private TestServer server;

    @BeforeEach
    void start() {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ServletContainer(
                new ResourceConfig(SessionResource.class).register(ResponseCacheFeature.class))), "/api/*");
        server = TestServer.of(context).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void responseThatCreatesASessionIsNeverStoredSoNoVisitorGetsAnotherOnesToken() {
        HttpResponse<String> first = server.getText("/api/session/token");
        HttpResponse<String> second = server.getText("/api/session/token");
        assertTrue(first.headers().firstValue("Set-Cookie").orElseThrow().startsWith("JSESSIONID="));
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(second.headers().firstValue("Set-Cookie").isPresent(), "the second visitor gets its own session");
        assertNotEquals(first.body(), second.body());
        assertTrue(first.headers().firstValue("Cache-Status").orElseThrow().endsWith("; detail=session"),
                "says why it is not stored");
    }

    @Test
    void pagePersonalisedFromASessionIsNotServedToAnAnonymousVisitor() {
        String cookie = server.getText("/api/session/login").headers().firstValue("Set-Cookie").orElseThrow()
                .split(";")[0];
        HttpResponse<String> member = server.getText("/api/session/greeting", "Cookie", cookie);
        assertEquals("hello alice", member.body());
        assertTrue(member.headers().firstValue("Cache-Status").orElseThrow().contains("detail=session"));
        HttpResponse<String> anonymous = server.getText("/api/session/greeting");
        assertEquals("hello stranger", anonymous.body());
        assertEquals("MISS", anonymous.headers().firstValue("X-Cache").orElseThrow());
    }

    @Path("session")
    public static class SessionResource {

        @GET
        @Path("token")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String token(@Context HttpServletRequest request) {
            HttpSession session = request.getSession(true);
            String token = UUID.randomUUID().toString();
            session.setAttribute("csrf", token);
            return token;
        }

        @GET
        @Path("login")
        @Produces(MediaType.TEXT_PLAIN)
        public String login(@Context HttpServletRequest request) {
            request.getSession(true).setAttribute("user", "alice");
            return "welcome";
        }

        @GET
        @Path("greeting")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String greeting(@Context HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            Object user = session == null ? null : session.getAttribute("user");
            return "hello " + (user == null ? "stranger" : user);
        }
    }
}
