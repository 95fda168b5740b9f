package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Level;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet filter's request wrapper that carries a session named by a header (as Spring Session's
 * {@code HeaderHttpSessionIdResolver} does with {@code X-Auth-Token}) or logs a user in (an API-key filter): the
 * request as sent has no cookie and no path parameter, yet the method's own lookup, after matching, sees the session
 * or the user and bypasses. The hit answered before matching judged the request as sent, and handed a logged-in user the
 * shared anonymous page. Every early path now leaves such a request to the method's lookup: the pre-matching hit asks
 * the servlet request it was given, the library's first filter is off wherever a servlet filter is mapped, and the
 * opt-in early filter mapped after the wrapper asks the wrapper.
 */
class HeaderBorneSessionsBeforeMatchingTest {

    private static final String SESSION_BYPASS = "ResponseCache; fwd=bypass; detail=session";
    private static final String CREDENTIALS_BYPASS = "ResponseCache; fwd=bypass; detail=credentials";

    private final PreMatchingHitsTest.Matchings matchings = new PreMatchingHitsTest.Matchings();
    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ResourceConfig app() {
        return new ResourceConfig().register(Greeting.class).register(matchings).register(entries)
                .register(ResponseCacheFeature.class);
    }

    /** Jersey behind the wrapping filter; with the library's initializer when {@code initializer}. */
    private void startBehindTheWrapper(boolean initializer) {
        server = TestServer.jersey(app()).filter(new HeaderBorneSessions(), "/*");
        if (initializer) {
            server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        }
        server.start();
    }

    /** The anonymous page stored, then answered again as a hit (before matching, unless said otherwise). */
    private void anonymousPageIsAHit() {
        assertEquals("MISS", cache(server.getText("/api/greeting")));
        HttpResponse<String> hit = server.getText("/api/greeting");
        assertEquals("HIT", cache(hit));
        assertEquals("hello stranger", hit.body());
    }

    @Test
    void headerBorneSessionIsNotAnsweredTheAnonymousPageBeforeMatching() {
        startBehindTheWrapper(false);
        anonymousPageIsAHit();
        assertEquals(1, matchings.count.get(), "the anonymous hit was answered before matching");
        HttpResponse<String> member = server.getText("/api/greeting", "X-Auth-Token", "alice");
        assertEquals("hello session alice", member.body(), "the member's own page, not the shared anonymous one");
        assertEquals(SESSION_BYPASS, status(member));
        assertEquals(2, matchings.count.get(), "the session's request went on to the method's lookup");
    }

    @Test
    void userAWrapperLogsInIsNotAnsweredTheAnonymousPageBeforeMatching() {
        startBehindTheWrapper(false);
        anonymousPageIsAHit();
        HttpResponse<String> user = server.getText("/api/greeting", "X-Api-Key", "bob");
        assertEquals("hello bob", user.body());
        assertEquals(CREDENTIALS_BYPASS, status(user));
        assertEquals(2, matchings.count.get());
    }

    @Test
    void sessionIdTheWrapperCannotReadGoesOnToTheMethodsLookupAndIsLoggedOncePerEpisode() {
        startBehindTheWrapper(false);
        anonymousPageIsAHit();
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> unreadable = server.getText("/api/greeting", "X-Auth-Token", "broken");
                assertEquals(SESSION_BYPASS, status(unreadable), "fails closed: taken to carry a session");
            }
            assertEquals(4, matchings.count.get(), "each went on to the method's lookup");
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.stream().filter(w -> w.contains("before matching")).count(), warnings.toString());
        }
    }

    @Test
    void wrappingFilterKeepsHitsOutOfTheLibrarysFirstFilter() {
        startBehindTheWrapper(true);
        anonymousPageIsAHit();
        assertEquals(2, entries.count(), "a servlet filter is mapped: the anonymous hit entered Jersey too");
        assertEquals(1, matchings.count.get(), "and was answered there before matching");
        assertEquals("hello session alice", server.getText("/api/greeting", "X-Auth-Token", "alice").body());
        assertEquals("hello bob", server.getText("/api/greeting", "X-Api-Key", "bob").body());
        assertEquals(3, matchings.count.get());
    }

    @Test
    void earlyFilterMappedAfterTheWrapperLeavesItsSessionsAndUsersToJersey() {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new HeaderBorneSessions()), "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(app())), "/api/*");
        server = TestServer.of(context).start();
        anonymousPageIsAHit();
        assertEquals(1, entries.count(), "the anonymous hit was answered in front of Jersey");
        HttpResponse<String> member = server.getText("/api/greeting", "X-Auth-Token", "alice");
        assertEquals("hello session alice", member.body());
        assertEquals(SESSION_BYPASS, status(member));
        HttpResponse<String> user = server.getText("/api/greeting", "X-Api-Key", "bob");
        assertEquals("hello bob", user.body());
        assertEquals(CREDENTIALS_BYPASS, status(user));
        assertEquals(3, entries.count(), "both entered Jersey");
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    /** Personalised from the session or the user the wrapper shows; the same page for every anonymous visitor. */
    @Path("greeting")
    public static final class Greeting {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String greeting(@Context HttpServletRequest request) {
            Principal user = request.getUserPrincipal();
            if (user != null) {
                return "hello " + user.getName();
            }
            String session;
            try {
                session = request.getRequestedSessionId();
            } catch (IllegalStateException unreadable) {
                return "hello whoever";
            }
            return session == null ? "hello stranger" : "hello session " + session;
        }
    }

    /**
     * Keeps sessions named by an {@code X-Auth-Token} header, as Spring Session's {@code HeaderHttpSessionIdResolver}
     * does (the token {@code broken} stands for a session store that cannot be read), and logs in the user an
     * {@code X-Api-Key} header names, as an API-key filter does. The container sees neither.
     */
    static final class HeaderBorneSessions implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String token = http.getHeader("X-Auth-Token");
            String key = http.getHeader("X-Api-Key");
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getRequestedSessionId() {
                    if ("broken".equals(token)) {
                        throw new IllegalStateException("the session store is down");
                    }
                    return token != null ? token : super.getRequestedSessionId();
                }

                @Override
                public Principal getUserPrincipal() {
                    return key != null ? () -> key : super.getUserPrincipal();
                }
            }, response);
        }
    }
}
