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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.process.internal.RequestScoped;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the servlet request the runtime injects cannot be read (resolving it throws, or gives nothing), the cache
 * cannot ask the container about the session: it must fail closed. It used to take such a request for one without a
 * session, so a request carrying the session cookie was answered from, and stored into, the entry every visitor
 * shares. Here the application's binder provides the servlet request, and gives none for requests marked
 * {@value #UNREADABLE}: the way it fails is the header's value ({@code throws} or {@code null}).
 */
class UnreadableServletRequestTest {

    private static final String UNREADABLE = "X-Test-Unreadable";

    private final ThreadLocal<Offered> current = new ThreadLocal<>();
    private final AtomicInteger calls = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        // An application that uses sessions: its context has a session handler, which names the cookie.
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(new Page(calls))
                .register(new RequestBinder(current)).register(ResponseCacheFeature.class))), "/api/*");
        server = TestServer.of(context).filter(new OfferRequest(current), "/api/*").start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sessionCookieOfAnUnreadableServletRequestIsNotServedTheSharedEntry() {
        assertEquals("MISS", cache(server.getText("/api/page")));
        assertEquals("HIT", cache(server.getText("/api/page")));
        for (String failure : List.of("throws", "null")) {
            HttpResponse<String> member = server.getText("/api/page", "Cookie", "lang=en; JSESSIONID=node01abc",
                    UNREADABLE, failure);
            assertEquals(BYPASS, status(member), failure);
        }
        HttpResponse<String> lowerCase = server.getText("/api/page", "Cookie", "jsessionid=node01abc",
                UNREADABLE, "throws");
        assertEquals(BYPASS, status(lowerCase), "a container may match the cookie's name in any case");
        assertEquals("page 4", lowerCase.body());
    }

    @Test
    void sessionPathParameterOfAnUnreadableServletRequestBypassesTheCache() {
        assertEquals(BYPASS, status(server.getText("/api/page;jsessionid=node01abc")), "as the container reads it");
        assertEquals(BYPASS, status(server.getText("/api/page;jsessionid=node01abc", UNREADABLE, "throws")));
        assertEquals(BYPASS, status(server.getText("/api/page;JSESSIONID=node01abc", UNREADABLE, "null")));
    }

    @Test
    void missOfAnUnreadableServletRequestIsNotStoredSinceItMayHaveCreatedASession() {
        HttpResponse<String> first = server.getText("/api/page", UNREADABLE, "throws");
        assertEquals("ResponseCache; fwd=uri-miss; detail=session", status(first));
        assertEquals("ResponseCache; fwd=uri-miss; detail=session",
                status(server.getText("/api/page", UNREADABLE, "null")));
        assertEquals("MISS", cache(server.getText("/api/page")), "nothing was stored");
        assertEquals("HIT", cache(server.getText("/api/page")));
    }

    @Test
    void sessionlessRequestOfAnUnreadableServletRequestIsStillAHit() {
        server.getText("/api/page");
        assertEquals("HIT", cache(server.getText("/api/page", "Cookie", "lang=en; xjsessionid=1", UNREADABLE,
                "throws")), "only a cookie of the session's name is a session");
    }

    @Test
    void unreadableServletRequestsAreLoggedOncePerEpisode() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int i = 0; i < 3; i++) {
                server.getText("/api/page", UNREADABLE, "throws");
            }
            assertEquals(1, sessionWarnings(log).size(), sessionWarnings(log).toString());
            server.getText("/api/page");
            server.getText("/api/page", UNREADABLE, "null");
            assertEquals(1, sessionWarnings(log).size(), "a readable request between does not end the episode (a"
                    + " success a minute after the latest fault does: FaultLogTest)");
        }
    }

    private static List<String> sessionWarnings(LogCapture log) {
        return log.messagesAtLeast(Level.WARNING).stream()
                .filter(message -> message.contains("servlet request's session")).toList();
    }

    private static final String BYPASS = "ResponseCache; fwd=bypass; detail=session";

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

    /** The container's request of this thread, and how reading it fails (null: it does not). */
    private record Offered(HttpServletRequest request, String failure) {
    }

    /** Offers the container's request to the binder, marked as the request asks. */
    private static final class OfferRequest implements Filter {
        private final ThreadLocal<Offered> current;

        OfferRequest(ThreadLocal<Offered> current) {
            this.current = current;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            current.set(new Offered(http, http.getHeader(UNREADABLE)));
            try {
                chain.doFilter(request, response);
            } finally {
                current.remove();
            }
        }
    }

    /** The application's own binding of the servlet request, which the runtime then injects. */
    private static final class RequestBinder extends AbstractBinder {
        private final ThreadLocal<Offered> current;

        RequestBinder(ThreadLocal<Offered> current) {
            this.current = current;
        }

        @Override
        protected void configure() {
            bindFactory(new Supplier<HttpServletRequest>() {
                @Override
                public HttpServletRequest get() {
                    Offered offered = current.get();
                    if (offered.failure() == null) {
                        return offered.request();
                    }
                    if (offered.failure().equals("null")) {
                        return null;
                    }
                    throw new IllegalStateException("the servlet request cannot be read");
                }
            }).to(HttpServletRequest.class).proxy(true).proxyForSameScope(false).in(RequestScoped.class)
                    .ranked(10);
        }
    }
}
