package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.core.ErrorFallback;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;

/**
 * A hit's lines go past the runner's {@link ErrorReplacingResponse} into Jetty's fields only while no stale-if-error
 * deadline is armed on it ({@link JettyResponses#fieldsOf}): a resource method with a deadline, on a miss that a stale
 * entry may answer, asks for the fields on the wrapper the deadline is armed on, while the deadline waits and after
 * it answered, and is refused both times; asking takes nothing from the deadline, whose timer still answers the
 * client stale. The method is held on a gate the test opens only after the client has its answer. The same method
 * on a miss with nothing stale (no deadline armed) is given Jetty's fields, so the refusal is the deadline's.
 */
class ArmedDeadlineIsNeverPassedByJettysFieldsTest {

    /** The method: asks for Jetty's fields past the runner's wrapper, and holds when told to. */
    @Path("slow")
    public static final class Slow {
        /** What each ask was given: Jetty's own response's class name, or "none". */
        final List<String> given = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean held;

        @GET
        @Path("{id}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleIfError = 600, staleIfErrorDeadline = 1)
        public String slow(@PathParam("id") String id, @Context HttpServletRequest request)
                throws InterruptedException {
            ErrorReplacingResponse guard = (ErrorReplacingResponse) request.getAttribute(ErrorFallback.GUARD);
            given.add(name(JettyResponses.fieldsOf(guard)));
            if (held) {
                entered.countDown();
                assertTrue(gate.await(60, TimeUnit.SECONDS), "never released");
                given.add(name(JettyResponses.fieldsOf(guard)));
            }
            return "slow " + id + " call " + given.size();
        }

        private static String name(Object response) {
            return response == null ? "none" : response.getClass().getSimpleName();
        }
    }

    @Test
    void armedDeadlineKeepsEveryLineGoingThroughTheRunnersWrapper() throws Exception {
        MutableClock clock = new MutableClock();
        Slow slow = new Slow();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .initializer(new ResponseCacheInitializer())
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(slow)
                        .register(ResponseCacheFeature.class).property(ResponseCacheProperties.CLOCK, clock)),
                        "/api/*"))) {
            HttpResponse<String> miss = app.get("/api/slow/1");
            assertEquals(200, miss.statusCode());
            assertEquals(List.of("ServletApiResponse"), slow.given, "no deadline armed: Jetty's fields");
            clock.advance(Duration.ofSeconds(61));

            slow.held = true;
            HttpResponse<String> stale;
            try {
                stale = app.get("/api/slow/1");
                assertTrue(slow.entered.await(30, TimeUnit.SECONDS), "the method never ran");
            } finally {
                slow.gate.countDown();
            }
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"),
                    "the deadline answered, though the method asked for Jetty's fields while it was armed");
            assertEquals(miss.body(), stale.body());
            // The held method's second ask is made once the gate opens, on the request's thread.
            Eventually.until(() -> slow.given.size() == 3, Duration.ofSeconds(30), slow.given::toString);
            assertEquals(List.of("ServletApiResponse", "none", "none"), slow.given, "armed, then answered");
        }
    }
}
