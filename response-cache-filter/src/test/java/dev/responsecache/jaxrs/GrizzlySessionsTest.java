package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LogCapture;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.glassfish.grizzly.http.Cookie;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Session;
import org.glassfish.grizzly.http.server.SessionManager;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.internal.util.collection.Ref;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey on Grizzly, without a servlet container: Grizzly keeps sessions of its own, which the cache now reads from
 * Grizzly's request ({@link GrizzlySessionProbe}) as it reads a servlet container's. A session Grizzly created while
 * the method answered, or whose id it changed, used to go unseen (Grizzly writes the cookie on its own response), so
 * the page was stored and served to everyone; a session cookie of another name than {@code JSESSIONID} was not a
 * session; and an ended session's cookie still keyed the member's entries.
 */
class GrizzlySessionsTest {

    private static final String BYPASS = "ResponseCache; fwd=bypass; detail=session";
    private static final String UNREADABLE = "X-Test-Unreadable";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private URI base;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    /** Said {@code detail=session} on the miss, and no refusal was counted. */
    @Test
    void responseThatCreatedASessionIsCountedAsARefusal() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        start(null, new ResourceConfig().property(ResponseCacheProperties.METER_REGISTRY, registry));
        assertEquals("ResponseCache; fwd=uri-miss; detail=session", status(get("cart")));
        Counter refusals = registry.find("responsecache.refusals").tag("reason", "session").counter();
        assertEquals(1, refusals == null ? 0 : refusals.count());
    }

    @Test
    void sessionGrizzlyCreatesWhileAnsweringIsNotStored() throws Exception {
        start(null, new ResourceConfig());
        for (String path : List.of("cart", "shared-cart")) {
            HttpResponse<String> first = get(path);
            assertEquals("ResponseCache; fwd=uri-miss; detail=session", status(first), path);
            HttpResponse<String> second = get(path);
            assertNotEquals("HIT", cache(second), path + ": the first visitor's cart was stored");
            assertNotEquals(first.body(), second.body(), path);
            assertNotEquals(sessionCookie(first), sessionCookie(second), path + ": each visitor gets a session");
        }
        assertEquals(4, calls.get());
    }

    @Test
    void sessionIdGrizzlyChangesWhileAnsweringIsNotStored() throws Exception {
        start(null, new ResourceConfig());
        // A session planted before sign-in (session fixation): its id changes at sign-in, and the page of the
        // signed-in member must not be kept under the planted id, which its planter still holds.
        String planted = sessionCookie(get("start"));
        HttpResponse<String> signIn = get("profile", "Cookie", planted, "X-Sign-In", "alice");
        assertEquals("hello alice", signIn.body());
        assertEquals("ResponseCache; fwd=uri-miss; detail=session", status(signIn));
        String member = sessionCookie(signIn);
        assertNotEquals(planted, member);
        HttpResponse<String> planter = get("profile", "Cookie", planted);
        assertEquals("hello stranger", planter.body(), "the member's page was stored under the planted id");
        assertEquals(BYPASS, status(planter), "the planted id names no session any more");
        assertEquals("MISS", cache(get("profile", "Cookie", member)));
        HttpResponse<String> again = get("profile", "Cookie", member);
        assertEquals("HIT", cache(again), "a session's own cookie keys its entries");
        assertEquals("hello alice", again.body());
    }

    @Test
    void endedGrizzlySessionsCookieIsNotAKey() throws Exception {
        start(null, new ResourceConfig());
        String cookie = sessionCookie(get("login"));
        assertEquals("MISS", cache(get("profile", "Cookie", cookie)));
        assertEquals("HIT", cache(get("profile", "Cookie", cookie)));
        get("logout", "Cookie", cookie);
        HttpResponse<String> after = get("profile", "Cookie", cookie);
        assertEquals("hello stranger", after.body(), "the member's entry was served after the session ended");
        assertEquals(BYPASS, status(after));
    }

    @Test
    void sessionIdGrizzlyTakesOutOfThePathIsNotStoredForEveryone() throws Exception {
        start(null, new ResourceConfig());
        String cookie = sessionCookie(get("login"));
        // Grizzly takes a lower-case ;jsessionid= out of the path before Jersey sees it: only Grizzly knows.
        HttpResponse<String> member = get("greeting;jsessionid=" + cookie.substring(cookie.indexOf('=') + 1));
        assertEquals("hello alice", member.body());
        assertEquals(BYPASS, status(member));
        assertEquals("hello stranger", get("greeting").body(), "the member's page was stored for everyone");
    }

    /**
     * Hits before matching see the path as Jersey has it, after Grizzly took the session id out: a member whose session
     * is in the URL was answered the page stored for visitors without a session.
     */
    @Test
    void sessionIdGrizzlyTakesOutOfThePathIsNotAnsweredTheVisitorsPageBeforeMatching() throws Exception {
        start(null, new ResourceConfig());
        String cookie = sessionCookie(get("login"));
        assertEquals("hello stranger", get("greeting").body());
        assertEquals("HIT", cache(get("greeting")), "the visitors' page is stored and its route learned");
        HttpResponse<String> member = get("greeting;jsessionid=" + cookie.substring(cookie.indexOf('=') + 1));
        assertEquals("hello alice", member.body(), "X-Cache: " + cache(member));
        assertEquals(BYPASS, status(member));
    }

    @Test
    void grizzlyConfiguredSessionCookieNameBypasses() throws Exception {
        start(new NamedSessions("SID"), new ResourceConfig());
        String cookie = sessionCookie(get("login"));
        assertEquals("SID", cookie.substring(0, cookie.indexOf('=')));
        HttpResponse<String> member = get("greeting", "Cookie", "lang=en; " + cookie);
        assertEquals(BYPASS, status(member));
        assertEquals("hello alice", member.body());
        assertEquals("hello stranger", get("greeting").body(), "the member's page was stored for everyone");
        HttpResponse<String> elsewhere = get("greeting", "Cookie", "JSESSIONID=" + UUID.randomUUID());
        assertEquals("HIT", cache(elsewhere), "a JSESSIONID cookie names no session where Grizzly's is SID");
        assertEquals("hello stranger", elsewhere.body());
        assertEquals(2, calls.get());
    }

    @Test
    void grizzlyConfiguredSessionCookieNameKeysOnlyItsOwnEntries() throws Exception {
        start(new NamedSessions("SID"), new ResourceConfig());
        String cookie = sessionCookie(get("login"));
        assertEquals("MISS", cache(get("sid-profile", "Cookie", cookie)));
        HttpResponse<String> again = get("sid-profile", "Cookie", cookie);
        assertEquals("HIT", cache(again), "keyed on the session's own cookie");
        assertEquals("hello alice", again.body());
        assertEquals(BYPASS, status(get("profile", "Cookie", cookie)), "keyed on a cookie that is not the session's");
        assertEquals("hello stranger", get("sid-profile", "Cookie", "SID=" + UUID.randomUUID()).body());
    }

    @Test
    void unreadableGrizzlyRequestIsTakenToCarryAndCreateASession() throws Exception {
        start(null, new ResourceConfig().register(MarkUnreadable.class));
        for (String failure : List.of("throws", "null")) {
            assertEquals(BYPASS, status(get("page", UNREADABLE, failure)), failure);
        }
        assertEquals("MISS", cache(get("page")), "nothing was stored");
        assertEquals("HIT", cache(get("page")));
        assertEquals(BYPASS, status(get("page", UNREADABLE, "throws")), "not answered from the shared entry");
        assertEquals("ResponseCache; fwd=uri-miss; detail=session",
                status(get("shared-page", UNREADABLE, "throws")), "a shared entry's miss may have created one");
        assertEquals("MISS", cache(get("shared-page")), "nothing was stored");
    }

    @Test
    void unreadableGrizzlyRequestsAreLoggedOncePerEpisode() throws Exception {
        start(null, new ResourceConfig().register(MarkUnreadable.class));
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int i = 0; i < 3; i++) {
                get("page", UNREADABLE, "throws");
            }
            assertEquals(1, grizzlyWarnings(log).size(), grizzlyWarnings(log).toString());
            get("page");
            get("page", UNREADABLE, "null");
            assertEquals(1, grizzlyWarnings(log).size(),
                    "a readable request moments later does not end the episode (see FaultLogTest)");
        }
    }

    @Test
    void grizzlySessionReadsThatFailFailClosed() throws Exception {
        start(null, new ResourceConfig().register(MarkUnreadable.class));
        HttpResponse<String> shared = get("shared-page", UNREADABLE, "reads");
        assertEquals("ResponseCache; fwd=uri-miss; detail=session", status(shared), "it may have created a session");
        assertEquals("MISS", cache(get("shared-page")), "nothing was stored");
        String cookie = sessionCookie(get("login"));
        assertEquals("MISS", cache(get("keyed-page", "Cookie", cookie)));
        assertEquals("HIT", cache(get("keyed-page", "Cookie", cookie)), "readable, the session's cookie keys");
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int i = 0; i < 3; i++) {
                assertEquals(BYPASS, status(get("keyed-page", "Cookie", cookie, UNREADABLE, "reads")),
                        "a session whose id cannot be read keys nothing");
            }
            assertEquals(1, log.messagesAtLeast(Level.WARNING).stream()
                    .filter(message -> message.contains("Grizzly's requested session id")).count());
        }
    }

    private static List<String> grizzlyWarnings(LogCapture log) {
        return log.messagesAtLeast(Level.WARNING).stream()
                .filter(message -> message.contains("Grizzly's request")).toList();
    }

    private void start(SessionManager sessions, ResourceConfig config) throws IOException {
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/"),
                config.register(new Cart(calls)).register(new SharedCart(calls)).register(new Greeting(calls))
                        .register(Start.class).register(Login.class).register(Logout.class)
                        .register(Profile.class).register(SidProfile.class).register(Page.class)
                        .register(SharedPage.class).register(KeyedPage.class)
                        .register(ResponseCacheFeature.class), false);
        if (sessions != null) {
            server.getListeners().iterator().next().setSessionManager(sessions);
        }
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/api/");
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static String cache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    private static String user(Request request) {
        Session session = request.getSession(false);
        Object user = session == null ? null : session.getAttribute("user");
        return "hello " + (user == null ? "stranger" : user);
    }

    /** A page that opens a session for each visitor (a cart), and names it. */
    @Path("cart")
    public static final class Cart {
        private final AtomicInteger calls;

        Cart(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String cart(@Context Request request) {
            calls.incrementAndGet();
            return "cart " + request.getSession(true).getIdInternal();
        }
    }

    /** The same, declared shared across users: a session created while answering still keeps it from the store. */
    @Path("shared-cart")
    public static final class SharedCart {
        private final AtomicInteger calls;

        SharedCart(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, sharedAcrossUsers = true)
        public String cart(@Context Request request) {
            calls.incrementAndGet();
            return "cart " + request.getSession(true).getIdInternal();
        }
    }

    @Path("greeting")
    public static final class Greeting {
        private final AtomicInteger calls;

        Greeting(AtomicInteger calls) {
            this.calls = calls;
        }

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String greeting(@Context Request request) {
            calls.incrementAndGet();
            return user(request);
        }
    }

    @Path("start")
    public static final class Start {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String start(@Context Request request) {
            request.getSession(true);
            return "started";
        }
    }

    @Path("login")
    public static final class Login {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String login(@Context Request request) {
            request.getSession(true).setAttribute("user", "alice");
            return "welcome";
        }
    }

    @Path("logout")
    public static final class Logout {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        public String logout(@Context Request request) {
            Session session = request.getSession(false);
            if (session != null) {
                session.setValid(false);
            }
            return "bye";
        }
    }

    /** The member's page, keyed on the session cookie; signing in changes the session's id, as it should. */
    @Path("profile")
    public static final class Profile {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:JSESSIONID")
        public String profile(@Context Request request, @HeaderParam("X-Sign-In") String signIn) {
            Session session = request.getSession(false);
            if (signIn != null && session != null) {
                session.setAttribute("user", signIn);
                request.changeSessionId();
            }
            return user(request);
        }
    }

    @Path("sid-profile")
    public static final class SidProfile {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:SID")
        public String profile(@Context Request request) {
            return user(request);
        }
    }

    /** A page that does not ask for Grizzly's request (which may be made unreadable). */
    @Path("page")
    public static final class Page {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page() {
            return "page";
        }
    }

    @Path("keyed-page")
    public static final class KeyedPage {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:JSESSIONID")
        public String page() {
            return "keyed page";
        }
    }

    @Path("shared-page")
    public static final class SharedPage {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, sharedAcrossUsers = true)
        public String page() {
            return "shared page";
        }
    }

    /**
     * Makes Grizzly's request unreadable for requests marked {@value #UNREADABLE}: the request Jersey injects then is
     * none ({@code null}), one whose session reads throw ({@code reads}), or one that cannot be read at all.
     */
    @PreMatching
    public static final class MarkUnreadable implements ContainerRequestFilter {
        @Inject
        private Provider<Ref<Request>> grizzly;

        @Override
        public void filter(ContainerRequestContext context) {
            String failure = context.getHeaderString(UNREADABLE);
            if (failure != null) {
                Ref<Request> current = grizzly.get();
                current.set(switch (failure) {
                    case "null" -> null;
                    case "reads" -> new FailingReads(current.get());
                    default -> new Unreadable();
                });
            }
        }
    }

    private static final class Unreadable extends Request {
        Unreadable() {
            super(null);
        }

        @Override
        public String getRequestedSessionId() {
            throw new IllegalStateException("Grizzly's request cannot be read");
        }
    }

    /** Grizzly's request, whose session reads throw (its cookies, its session, its response). */
    private static final class FailingReads extends Request {
        private final Request request;

        FailingReads(Request request) {
            super(null);
            this.request = request;
        }

        @Override
        public String getRequestedSessionId() {
            return request.getRequestedSessionId();
        }

        @Override
        public String getSessionCookieName() {
            return request.getSessionCookieName();
        }

        @Override
        public Cookie[] getCookies() {
            throw new IllegalStateException("the cookies cannot be read");
        }

        @Override
        public Session getSession(boolean create) {
            throw new IllegalStateException("the session store is down");
        }

        @Override
        public org.glassfish.grizzly.http.server.Response getResponse() {
            throw new IllegalStateException("the response cannot be read");
        }
    }

    /** Grizzly's sessions under a cookie of another name, as an application configures its session manager. */
    private static final class NamedSessions implements SessionManager {
        private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
        private volatile String cookieName;

        NamedSessions(String cookieName) {
            this.cookieName = cookieName;
        }

        @Override
        public Session getSession(Request request, String requestedSessionId) {
            Session session = requestedSessionId == null ? null : sessions.get(requestedSessionId);
            return session != null && session.isValid() ? session : null;
        }

        @Override
        public Session createSession(Request request) {
            Session session = new Session(UUID.randomUUID().toString());
            sessions.put(session.getIdInternal(), session);
            return session;
        }

        @Override
        public String changeSessionId(Request request, Session session) {
            throw new UnsupportedOperationException("no test here changes a session's id");
        }

        @Override
        public void configureSessionCookie(Request request, Cookie cookie) {
            // as Grizzly's default manager: the cookie as Grizzly made it
        }

        @Override
        public void setSessionCookieName(String name) {
            cookieName = name;
        }

        @Override
        public String getSessionCookieName() {
            return cookieName;
        }
    }
}
