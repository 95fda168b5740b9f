package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A servlet request that can be read while one of its session reads fails (a filter's request wrapper that throws,
 * marked by {@value #FAILING}: {@code requested} for the requested session id, {@code created} for the session).
 * The probe told its fault log the request was readable, then the failing read told the same log it failed: every
 * request logged "recovered" and a new warning, and a read made up to three times a request counted thrice. And a
 * requested session id that could not be read was judged from the cookies alone, so a session named by a header
 * (Spring Session's {@code X-Auth-Token}) counted as none and was served the shared entry. The application has a
 * request filter of its own, so that no hit is answered before matching (where only the requested session id is asked
 * about, with a log of its own: {@link HeaderBorneSessionsBeforeMatchingTest}).
 */
class FailingSessionReadsTest {

    private static final String FAILING = "X-Test-Failing";

    private final AtomicInteger calls = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(new Page(calls))
                .register(ApplicationFilter.class).register(ResponseCacheFeature.class))), "/api/*");
        server = TestServer.of(context).filter(new FailingReads(), "/api/*").start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sessionReadThatKeepsFailingIsOneEpisodeNotARecoveryAndAWarningPerRequest() {
        for (String failing : List.of("created", "requested")) {
            try (LogCapture log = LogCapture.of("dev.responsecache")) {
                for (int i = 0; i < 3; i++) {
                    server.getText("/api/page", FAILING, failing);
                }
                assertEquals(1, log.messagesAtLeast(Level.WARNING).size(), log.messagesAtLeast(Level.INFO).toString());
                assertEquals(List.of(), log.messagesAtLeast(Level.INFO).stream()
                        .filter(message -> message.contains("recovered")).toList(), failing);
            }
        }
    }

    /**
     * The same read failing for some requests and working for others: each success ended the episode, so every
     * failing request after one logged "recovered" and a new warning with its stack trace.
     */
    @Test
    void readFailingForSomeRequestsAndWorkingForOthersIsOneEpisode() {
        Logger logger = Logger.getLogger("dev.responsecache");
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int i = 0; i < 3; i++) {
                server.getText("/api/page", FAILING, "requested");
                server.getText("/api/page");
            }
            assertEquals(List.of("response cache (the servlet request's requested session id, JAX-RS) failed;"
                    + " serving uncached until it recovers"), log.messagesAtLeast(Level.INFO));
        } finally {
            logger.setLevel(level);
        }
    }

    @Test
    void missWhoseSessionCannotBeReadIsNotStored() {
        assertEquals("ResponseCache; fwd=uri-miss; detail=session",
                status(server.getText("/api/page", FAILING, "created")));
        assertEquals("MISS", cache(server.getText("/api/page")), "nothing was stored");
    }

    @Test
    void unreadableRequestedSessionIdCountsAsASessionEvenWithoutACookie() {
        assertEquals("MISS", cache(server.getText("/api/page")));
        assertEquals("HIT", cache(server.getText("/api/page")));
        HttpResponse<String> member = server.getText("/api/page", "X-Auth-Token", "alice", FAILING, "requested");
        assertEquals("ResponseCache; fwd=bypass; detail=session", status(member));
        assertEquals("page 2", member.body());
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    @Path("page")
    public static final class Page {
        private final AtomicInteger calls;

        Page(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page() {
            return "page " + calls.incrementAndGet();
        }
    }

    /** A request filter of the application's: hits are then answered after matching, by the method's lookup. */
    public static final class ApplicationFilter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            request.setProperty("application.seen", Boolean.TRUE);
        }
    }

    /** Wraps the request so that the read the request's header names throws. */
    private static final class FailingReads implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String failing = http.getHeader(FAILING);
            if (failing == null) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public String getRequestedSessionId() {
                    if (failing.equals("requested")) {
                        throw new IllegalStateException("the session store is down");
                    }
                    return super.getRequestedSessionId();
                }

                @Override
                public HttpSession getSession(boolean create) {
                    if (failing.equals("created")) {
                        throw new IllegalStateException("the session store is down");
                    }
                    return super.getSession(create);
                }
            }, response);
        }
    }
}
