package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Session;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey on Grizzly has no servlet request to ask, yet Grizzly keeps sessions of its own, named by a
 * {@code JSESSIONID} cookie or path parameter like a servlet container's: the cache reads them from the request. A
 * page personalised from such a session used to be stored and served to everyone (and the shared page to members).
 */
class SessionsOutsideServletContainersTest {

    private static final String BYPASS = "ResponseCache; fwd=bypass; detail=session";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() {
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/"),
                new ResourceConfig().register(new Greeting(calls)).register(Login.class)
                        .register(KeyedGreeting.class)
                        .register(ResponseCacheFeature.class), true);
        base = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/api/");
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void pagePersonalisedFromAGrizzlySessionIsNeitherStoredNorServedTheSharedPage() throws Exception {
        String cookie = get("login").headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertEquals("JSESSIONID", cookie.substring(0, cookie.indexOf('=')));
        HttpResponse<String> member = get("greeting", "Cookie", cookie);
        assertEquals("hello alice", member.body());
        assertEquals(BYPASS, status(member));
        HttpResponse<String> anonymous = get("greeting");
        assertEquals("hello stranger", anonymous.body(), "the member's page was not stored");
        assertEquals("HIT", get("greeting").headers().firstValue("X-Cache").orElseThrow());
        assertEquals("hello alice", get("greeting", "Cookie", "lang=en; " + cookie).body());
        String id = cookie.substring(cookie.indexOf('=') + 1);
        assertEquals(BYPASS, status(get("greeting;JSESSIONID=" + id)), "as a servlet container would read it");
        assertEquals(4, calls.get(), "the shared page was called for once");
    }

    @Test
    void cookiesOtherThanTheSessionsKeepTheSharedPage() throws Exception {
        get("greeting");
        HttpResponse<String> visitor = get("greeting", "Cookie", "lang=en; _ga=GA1.1.1");
        assertEquals("HIT", visitor.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("hello stranger", visitor.body());
    }

    @Test
    void sessionCookieSentTwiceOrBesideAPathIdIsNotAKey() throws Exception {
        String cookie = get("login").headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertEquals("MISS", get("keyed", "Cookie", cookie).headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", get("keyed", "Cookie", cookie).headers().firstValue("X-Cache").orElseThrow(),
                "a session cookie sent once keys the session's entries");
        // Grizzly takes the first JSESSIONID as the session, Jersey's cookie parser keeps the last: keyed on the
        // last, the member's page was stored for whoever sends "tossed".
        for (String twice : new String[] {cookie + "; JSESSIONID=tossed", cookie + "; jsessionid=tossed"}) {
            HttpResponse<String> member = get("keyed", "Cookie", twice);
            assertEquals(BYPASS, status(member), twice);
            assertEquals("hello alice", member.body(), twice);
        }
        assertEquals(BYPASS, status(get("keyed", "Cookie", cookie + ", JSESSIONID=tossed")), "a list, as one header");
        HttpResponse<String> stranger = get("keyed", "Cookie", "JSESSIONID=tossed");
        assertEquals("hello stranger", stranger.body(), "the member's page was stored under the tossed cookie");
        String id = cookie.substring(cookie.indexOf('=') + 1);
        // Grizzly takes a lower-case ;jsessionid= out of the path before Jersey sees it (the cookie then wins); one it
        // leaves there may be a session to a container in front, and is not keyed on the cookie beside it.
        assertEquals(BYPASS, status(get("keyed;JSESSIONID=" + id, "Cookie", "JSESSIONID=tossed")),
                "a session named in the path is not keyed on the cookie beside it");
    }

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
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

    @Path("keyed")
    public static final class KeyedGreeting {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "cookie:JSESSIONID")
        public String greeting(@Context Request request) {
            Session session = request.getSession(false);
            Object user = session == null ? null : session.getAttribute("user");
            return "hello " + (user == null ? "stranger" : user);
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
            Session session = request.getSession(false);
            Object user = session == null ? null : session.getAttribute("user");
            return "hello " + (user == null ? "stranger" : user);
        }
    }
}
