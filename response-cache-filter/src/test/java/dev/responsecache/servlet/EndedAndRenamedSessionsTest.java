package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
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
 * Entries keyed on the session cookie ({@code varyBy = "cookie:JSESSIONID"}) outlived their session: after
 * {@code invalidate()} the browser still sends the old cookie and got the member's page as a hit, where the
 * application answers it as a stranger; and a session whose id changed while answering ({@code changeSessionId}, as
 * session-fixation protection does at login) was stored under the id it came with. Both adapters, on Jetty.
 */
class EndedAndRenamedSessionsTest {

    private static final String BYPASS = "ResponseCache; fwd=bypass; detail=session";

    private TestServer servlets;
    private TestServer jaxrs;

    @BeforeEach
    void start() {
        ServletContextHandler jersey = new ServletContextHandler(ServletContextHandler.SESSIONS);
        jersey.setContextPath("/");
        jersey.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(JaxrsPages.class)
                .register(ResponseCacheFeature.class))), "/api/*");
        jaxrs = TestServer.of(jersey).start();

        servlets = TestServer.of(new ServletContextHandler(ServletContextHandler.SESSIONS));
        servlets.context().setContextPath("/");
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        cache.setInitParameter("varyBy", "cookie:JSESSIONID");
        servlets.context().addFilter(cache, "/api/greeting", EnumSet.of(DispatcherType.REQUEST));
        servlets.context().addServlet(new ServletHolder(new Greeting()), "/api/greeting");
        servlets.context().addServlet(new ServletHolder(new Login()), "/api/login");
        servlets.context().addServlet(new ServletHolder(new Logout()), "/api/logout");
        servlets.start();
    }

    @AfterEach
    void stop() {
        servlets.close();
        jaxrs.close();
    }

    @Test
    void invalidatedSessionsCookieIsNotServedItsEntries() {
        for (TestServer server : new TestServer[] {servlets, jaxrs}) {
            String cookie = login(server);
            assertEquals("MISS", cache(server.getText("/api/greeting", "Cookie", cookie)));
            HttpResponse<String> member = server.getText("/api/greeting", "Cookie", cookie);
            assertEquals("HIT", cache(member), "a live session is keyed on its cookie");
            assertEquals("hello alice", member.body());
            server.getText("/api/logout", "Cookie", cookie);
            HttpResponse<String> ended = server.getText("/api/greeting", "Cookie", cookie);
            assertEquals("hello stranger", ended.body(), "the ended session's cookie got the member's page");
            assertEquals(BYPASS, status(ended));
        }
    }

    @Test
    void sessionIdChangedWhileAnsweringIsNotStored() {
        for (TestServer server : new TestServer[] {servlets, jaxrs}) {
            String cookie = login(server);
            HttpResponse<String> renamed = server.getText("/api/greeting", "Cookie", cookie, "X-Rename", "yes");
            assertEquals("hello alice", renamed.body());
            String renamedCookie = renamed.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertNotEquals(cookie, renamedCookie, "the container gave the session a new id");
            assertEquals("MISS", cache(renamed));
            assertTrue(status(renamed).endsWith("; detail=session"),
                    "not stored under the id the request came with: " + status(renamed));
            HttpResponse<String> next = server.getText("/api/greeting", "Cookie", renamedCookie);
            assertEquals("MISS", cache(next), "the renamed session's first page is its own");
            assertEquals("hello alice", next.body());
        }
    }

    private static String login(TestServer server) {
        String cookie = server.getText("/api/login").headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertEquals("JSESSIONID", cookie.substring(0, cookie.indexOf('=')));
        return cookie;
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    /** The page of the session's user, or a stranger's; renames the session first when asked to. */
    private static String greetingOf(HttpServletRequest request) {
        if (request.getHeader("X-Rename") != null) {
            request.changeSessionId();
        }
        HttpSession session = request.getSession(false);
        Object user = session == null ? null : session.getAttribute("user");
        return "hello " + (user == null ? "stranger" : user);
    }

    @Path("")
    public static final class JaxrsPages {
        @GET
        @Path("greeting")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:JSESSIONID")
        public String greeting(@Context HttpServletRequest request) {
            return greetingOf(request);
        }

        @GET
        @Path("login")
        @Produces(MediaType.TEXT_PLAIN)
        public String login(@Context HttpServletRequest request) {
            request.getSession(true).setAttribute("user", "alice");
            return "welcome";
        }

        @GET
        @Path("logout")
        @Produces(MediaType.TEXT_PLAIN)
        public String logout(@Context HttpServletRequest request) {
            request.getSession().invalidate();
            return "bye";
        }
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
            request.getSession(true).setAttribute("user", "alice");
            response.setContentType("text/plain");
            response.getWriter().write("welcome");
        }
    }

    private static final class Logout extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            request.getSession().invalidate();
            response.setContentType("text/plain");
            response.getWriter().write("bye");
        }
    }
}
