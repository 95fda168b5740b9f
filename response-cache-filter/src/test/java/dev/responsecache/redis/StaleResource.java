package dev.responsecache.redis;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An endpoint within stale-while-revalidate whose runs are numbered across the instances sharing one {@link Runs};
 * the first run (the miss that stores the entry) passes, the next {@code held} ones (refreshes) wait until the test
 * opens the gate, so that the test decides when a refresh finishes.
 */
@Path("/")
public class StaleResource {

    /** Shared by the instances of one test. */
    static final class Runs {
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch open = new CountDownLatch(1);
        /** Counts down as each held refresh reaches the gate. */
        final CountDownLatch entered;
        private final int held;

        Runs(int held) {
            this.held = held;
            this.entered = new CountDownLatch(held);
        }

        /** Numbers this run; holds it at the gate if it is one of the held refreshes. */
        int pass() throws InterruptedException {
            int run = count.incrementAndGet();
            if (run > 1 && run <= 1 + held) {
                entered.countDown();
                if (!open.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            }
            return run;
        }
    }

    private final Runs runs;
    private final String instance;

    StaleResource(Runs runs, String instance) {
        this.runs = runs;
        this.instance = instance;
    }

    /**
     * Header-driven: fresh for 10 s, then answered stale for 60 s while revalidated with its tag; a run that finds
     * its tag matching answers 304.
     */
    @GET
    @Path("validated/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response validated(@PathParam("id") String id, @Context Request request) throws InterruptedException {
        int run = runs.pass();
        EntityTag tag = new EntityTag("v1");
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        Response.ResponseBuilder answer = notModified != null ? notModified
                : Response.ok("validated " + id + " run " + run + " on " + instance).tag(tag);
        return answer.header("Cache-Control", "max-age=10, stale-while-revalidate=60")
                .header("X-Run", run + " on " + instance).build();
    }

    @GET
    @Path("stale/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, staleWhileRevalidate = 600)
    public String stale(@PathParam("id") String id) throws InterruptedException {
        return "stale " + id + " run " + runs.pass() + " on " + instance;
    }
}
