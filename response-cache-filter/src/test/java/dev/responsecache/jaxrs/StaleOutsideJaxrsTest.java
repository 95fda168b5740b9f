package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stale-if-error for what happens around Jersey, in front of which the library's initializer puts its guard: an
 * error the runtime sent that the application's servlet filter then swallowed, and the method's deadline when a
 * filter in front of Jersey has already set a header. Real Jetty and Jersey; the entry's age is the injected clock.
 */
class StaleOutsideJaxrsTest {

    private final MutableClock clock = new MutableClock();
    private final Origin origin = new Origin();
    /** Counted down as each request ends in the container (after every filter, so after any store). */
    private final CountDownLatch twoRequestsEnded = new CountDownLatch(2);
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(origin).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        // As applications do: security headers on every response, and an error page of their own for failures.
        server.context().addFilter(new FilterHolder((Filter) (request, response, chain) -> {
            ((HttpServletResponse) response).setHeader("X-Content-Type-Options", "nosniff");
            try {
                chain.doFilter(request, response);
            } catch (ServletException | RuntimeException swallowed) {
                // Logged by the application; the runtime has already sent its error status.
            }
        }), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addEventListener(new ServletRequestListener() {
            @Override
            public void requestDestroyed(ServletRequestEvent event) {
                twoRequestsEnded.countDown();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        origin.gate.countDown();
        server.close();
    }

    @Test
    void errorSentByTheRuntimeThenSwallowedByAFilterIsAnsweredStale() {
        HttpResponse<String> miss = server.getText("/api/origin/failing/1");
        assertEquals(200, miss.statusCode());
        clock.advance(Duration.ofSeconds(61));
        origin.failing = true;

        HttpResponse<String> stale = server.getText("/api/origin/failing/1");
        assertEquals(2, origin.calls.get(), "the method ran, and failed");
        assertEquals(200, stale.statusCode(), "the 500 the runtime sent before the filter swallowed its exception");
        assertEquals(miss.body(), stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void headerSetByAFilterInFrontOfJerseyLeavesTheMethodsDeadlineArmed() throws Exception {
        HttpResponse<String> miss = server.getText("/api/origin/slow/1");
        assertEquals(200, miss.statusCode());
        clock.advance(Duration.ofSeconds(61));
        origin.held = true;

        // The method is held until the client has its answer: only the deadline can have given it.
        HttpResponse<String> stale = server.getText("/api/origin/slow/1");
        assertTrue(origin.entered.await(30, TimeUnit.SECONDS), "the method never ran");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("nosniff", stale.headers().firstValue("X-Content-Type-Options").orElseThrow(),
                "the filter's header stays on the stale answer");
    }

    @Test
    void responseOfAMethodPastItsDeadlineIsStillStoredBesideTheServletResponseCheck() throws Exception {
        server.getText("/api/origin/slow/2");
        clock.advance(Duration.ofSeconds(61));
        origin.held = true;
        HttpResponse<String> stale = server.getText("/api/origin/slow/2");
        assertTrue(origin.entered.await(30, TimeUnit.SECONDS), "the method never ran");
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        // The servlet response now holds the stale answer (committed, other headers): the method's own response,
        // which it wrote nowhere else, is still what is stored.
        origin.held = false;
        origin.gate.countDown();
        assertTrue(twoRequestsEnded.await(30, TimeUnit.SECONDS), "the late request never ended");
        HttpResponse<String> hit = server.getText("/api/origin/slow/2");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("slow 2 call 2", hit.body());
    }

    @Test
    void cookieAMethodPastItsDeadlineAddsToTheServletResponseKeepsItsResponseOutOfTheCache() throws Exception {
        server.getText("/api/origin/slow-cookie/3");
        clock.advance(Duration.ofSeconds(61));
        origin.held = true;
        HttpResponse<String> stale = server.getText("/api/origin/slow-cookie/3");
        assertTrue(origin.entered.await(30, TimeUnit.SECONDS), "the method never ran");
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        // The cookie goes nowhere (the client has its stale answer), and the cache cannot see it: nothing is stored.
        origin.held = false;
        origin.gate.countDown();
        assertTrue(twoRequestsEnded.await(30, TimeUnit.SECONDS), "the late request never ended");
        HttpResponse<String> next = server.getText("/api/origin/slow-cookie/3");
        assertEquals("token t3", next.body(), "X-Cache: " + next.headers().firstValue("X-Cache").orElse("none"));
    }

    /** The origin: answers, fails with an exception no mapper handles, or holds its method on a gate. */
    @Path("origin")
    public static final class Origin {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean failing;
        volatile boolean held;

        @GET
        @Path("failing/{id}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleIfError = 600)
        public String failing(@PathParam("id") String id) {
            int call = calls.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("backend down");
            }
            return "failing " + id + " call " + call;
        }

        @GET
        @Path("slow-cookie/{id}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleIfError = 600, staleIfErrorDeadline = 1)
        public String slowCookie(@PathParam("id") String id, @Context HttpServletResponse response)
                throws InterruptedException {
            int call = calls.incrementAndGet();
            if (held) {
                entered.countDown();
                gate.await(60, TimeUnit.SECONDS);
                response.addCookie(new Cookie("csrf", "t" + call));
            }
            return "token t" + call;
        }

        @GET
        @Path("slow/{id}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleIfError = 600, staleIfErrorDeadline = 1)
        public String slow(@PathParam("id") String id) throws InterruptedException {
            int call = calls.incrementAndGet();
            if (held) {
                entered.countDown();
                gate.await(60, TimeUnit.SECONDS);
            }
            return "slow " + id + " call " + call;
        }
    }
}
