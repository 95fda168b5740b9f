package dev.responsecache.redis;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An endpoint whose runs, on every instance sharing one {@link Gate}, are numbered across the cluster; the first runs
 * wait at the gate until the test opens it, so a test decides when a holder finishes (or that it never does).
 */
@Path("/")
public class GatedResource {

    /** Shared by the instances of one test. */
    static final class Gate {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch open = new CountDownLatch(1);
        /** Counts down as each of the first {@code waitingRuns} runs reaches the gate. */
        final CountDownLatch entered;
        private final int waitingRuns;

        Gate(int waitingRuns) {
            this.waitingRuns = waitingRuns;
            this.entered = new CountDownLatch(waitingRuns);
        }

        int pass() throws InterruptedException {
            int run = runs.incrementAndGet();
            if (run <= waitingRuns) {
                entered.countDown();
                if (!open.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            }
            return run;
        }
    }

    private final Gate gate;
    private final String instance;
    final AtomicInteger calls = new AtomicInteger();

    GatedResource(Gate gate, String instance) {
        this.gate = gate;
        this.instance = instance;
    }

    @GET
    @Path("cold/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String cold(@PathParam("id") String id) throws InterruptedException {
        calls.incrementAndGet();
        return "cold " + id + " run " + gate.pass() + " on " + instance;
    }

    /** Never storable: each run's response says {@code no-store}. */
    @GET
    @Path("unstorable/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response unstorable(@PathParam("id") String id) throws InterruptedException {
        calls.incrementAndGet();
        return Response.ok("unstorable " + id + " run " + gate.pass() + " on " + instance)
                .header("Cache-Control", "no-store").build();
    }
}
