package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Level;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions kept by a filter's request wrapper (as Spring Session keeps them) in a context without a session handler
 * of the container's: the context has no session cookie configuration to name the cookie (Jetty gives none), and
 * asking it for the name failed the request. The session's cookie is not the one the policy keys on, so the request
 * must bypass the cache (as a session, not as a cache fault), not share the entry keyed on an absent
 * {@code JSESSIONID}. Both adapters.
 */
class SessionWithoutSessionHandlerTest {

    private TestServer server;
    private TestServer jaxrs;

    @BeforeEach
    void start() {
        jaxrs = TestServer.jersey(new ResourceConfig().register(JaxrsGreeting.class)
                .register(ResponseCacheFeature.class)).filter(new WrapperSessions(), "/*").start();
        server = TestServer.servlets();
        server.context().addFilter(new FilterHolder(new WrapperSessions()), "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        cache.setInitParameter("varyBy", "cookie:JSESSIONID");
        server.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new Greeting()), "/greeting");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        jaxrs.close();
    }

    @Test
    void sessionOfAWrapperInAContextWithoutSessionsBypassesInsteadOfFailingTheRequest() {
        assertEquals("MISS", server.getText("/greeting").headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", server.getText("/greeting").headers().firstValue("X-Cache").orElseThrow());
        HttpResponse<String> member = server.getText("/greeting", "Cookie", "SESSION=alice");
        assertEquals(200, member.statusCode());
        assertEquals("hello alice", member.body());
        assertEquals("ResponseCache; fwd=bypass; detail=session",
                member.headers().firstValue("Cache-Status").orElseThrow());
    }

    @Test
    void sessionOfAWrapperInAContextWithoutSessionsBypassesTheJaxrsLookupWithoutAFault() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            assertEquals("MISS", jaxrs.getText("/api/greeting").headers().firstValue("X-Cache").orElseThrow());
            assertEquals("HIT", jaxrs.getText("/api/greeting").headers().firstValue("X-Cache").orElseThrow());
            HttpResponse<String> member = jaxrs.getText("/api/greeting", "Cookie", "SESSION=alice");
            assertEquals("hello alice", member.body());
            assertEquals("ResponseCache; fwd=bypass; detail=session",
                    member.headers().firstValue("Cache-Status").orElseThrow());
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING));
        }
    }

    @Path("greeting")
    public static final class JaxrsGreeting {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:JSESSIONID")
        public String greeting(@Context HttpServletRequest request) {
            String session = request.getRequestedSessionId();
            return "hello " + (session == null ? "stranger" : session);
        }
    }

    private static final class Greeting extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String session = request.getRequestedSessionId();
            response.setContentType("text/plain");
            response.getWriter().write("hello " + (session == null ? "stranger" : session));
        }
    }
}
