package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
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

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session kept by a filter's request wrapper (as Spring Session keeps them, under a {@code SESSION} cookie) in a
 * context that also has the container's session handler: the container names its cookie {@code JSESSIONID}, so a
 * policy keyed on {@code cookie:JSESSIONID} keyed the wrapper's session on an absent cookie, and the page
 * personalised from it was stored as everyone's (an anonymous visitor got "hello alice" as a hit). The cookie keys a
 * session's entry only when its value is the requested session id. Both adapters.
 */
class WrapperSessionBesideContainerSessionsTest {

    private static final String BYPASS = "ResponseCache; fwd=bypass; detail=session";

    private TestServer servlets;
    private TestServer jaxrs;

    @BeforeEach
    void start() {
        ServletContextHandler jersey = new ServletContextHandler(ServletContextHandler.SESSIONS);
        jersey.setContextPath("/");
        jersey.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(JaxrsGreeting.class)
                .register(JaxrsLogin.class).register(ResponseCacheFeature.class))), "/api/*");
        jaxrs = TestServer.of(jersey).filter(new WrapperSessions(), "/*").start();

        servlets = TestServer.of(new ServletContextHandler(ServletContextHandler.SESSIONS));
        servlets.context().setContextPath("/");
        servlets.context().addFilter(new FilterHolder(new WrapperSessions()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        cache.setInitParameter("varyBy", "cookie:JSESSIONID");
        servlets.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        servlets.context().addServlet(new ServletHolder(new Greeting()), "/api/greeting");
        servlets.context().addServlet(new ServletHolder(new Login()), "/api/login");
        servlets.start();
    }

    @AfterEach
    void stop() {
        servlets.close();
        jaxrs.close();
    }

    @Test
    void wrapperSessionBesideContainerSessionsIsNotStoredUnderAnAbsentSessionCookie() {
        for (TestServer server : new TestServer[] {servlets, jaxrs}) {
            HttpResponse<String> member = server.getText("/api/greeting", "Cookie", "SESSION=alice");
            assertEquals("hello alice", member.body());
            assertEquals(BYPASS, status(member));
            HttpResponse<String> anonymous = server.getText("/api/greeting");
            assertEquals("hello stranger", anonymous.body(), "the member's page was not stored as everyone's");
            assertEquals("MISS", cache(anonymous));
        }
    }

    @Test
    void sessionCookieKeysOnlyTheSessionItNames() {
        for (TestServer server : new TestServer[] {servlets, jaxrs}) {
            String cookie = server.getText("/api/login").headers().firstValue("Set-Cookie").orElseThrow()
                    .split(";")[0];
            assertEquals("JSESSIONID", cookie.substring(0, cookie.indexOf('=')));
            String id = cookie.substring(cookie.indexOf('=') + 1);
            assertEquals("MISS", cache(server.getText("/api/greeting", "Cookie", cookie)));
            HttpResponse<String> again = server.getText("/api/greeting", "Cookie", cookie);
            assertEquals("HIT", cache(again), "the container's session keyed on its own cookie");
            assertEquals("hello " + id, again.body());
            HttpResponse<String> both = server.getText("/api/greeting", "Cookie", cookie + "; SESSION=alice");
            assertEquals("hello alice", both.body());
            assertEquals(BYPASS, status(both), "the cookie is there but names another session");
            assertEquals(BYPASS, status(server.getText("/api/greeting;jsessionid=" + id)),
                    "a session named in the URL alone is not keyed on the absent cookie");
        }
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    @Path("greeting")
    public static final class JaxrsGreeting {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:JSESSIONID")
        public String greeting(@Context HttpServletRequest request) {
            return greetingOf(request);
        }
    }

    @Path("login")
    public static final class JaxrsLogin {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String login(@Context HttpServletRequest request) {
            request.getSession(true);
            return "welcome";
        }
    }

    private static String greetingOf(HttpServletRequest request) {
        String session = request.getRequestedSessionId();
        return "hello " + (session == null ? "stranger" : session);
    }

    private static final class Greeting extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write(greetingOf(request));
        }
    }

    private static final class Login extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getSession(true);
            response.setContentType("text/plain");
            response.getWriter().write("welcome");
        }
    }
}
