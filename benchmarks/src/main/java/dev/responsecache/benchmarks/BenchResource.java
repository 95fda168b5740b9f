package dev.responsecache.benchmarks;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

/** The Jersey rows: the same 1 KiB body uncached and cached, and the realistic document uncached and cached. */
@Path("/")
@Produces(Bodies.TYPE)
public final class BenchResource {

    private final Runs runs;
    private final String prefix;

    BenchResource(Runs runs, String prefix) {
        this.runs = runs;
        this.prefix = prefix;
    }

    @GET
    @Path("trivial")
    public byte[] trivial() {
        runs.ran(prefix + "trivial");
        return Bodies.ONE_KIB;
    }

    @GET
    @Path("cached")
    @CacheResponse(ttl = 3600)
    public byte[] cached() {
        runs.ran(prefix + "cached");
        return Bodies.ONE_KIB;
    }

    /** The 1 KiB body after a fixed small cost of CPU work ({@link #work}): the reference of the miss overhead. */
    @GET
    @Path("work")
    public byte[] work() {
        runs.ran(prefix + "work");
        return work(Bodies.ONE_KIB);
    }

    /** The same, cached: with a new query on every request, each is a miss (lookup, capture and store around it). */
    @GET
    @Path("work-cached")
    @CacheResponse(ttl = 3600)
    public byte[] workCached() {
        runs.ran(prefix + "work-cached");
        return work(Bodies.ONE_KIB);
    }

    /** A fixed amount of work standing for a method's own (a checksum over the body, {@value #WORK_ROUNDS} times). */
    private static byte[] work(byte[] body) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (int i = 0; i < WORK_ROUNDS; i++) {
            crc.update(body);
        }
        sink = crc.getValue();
        return body;
    }

    private static final int WORK_ROUNDS = 200;
    /** Keeps the work from being optimised away. */
    private static volatile long sink;

    @GET
    @Path("realistic")
    public String realistic(@QueryParam("category") @DefaultValue("garden") String category)
            throws InterruptedException {
        runs.ran(prefix + "realistic");
        return Catalog.json(category, Catalog.page(category));
    }

    @GET
    @Path("realistic-cached")
    @CacheResponse(ttl = 3600)
    public String realisticCached(@QueryParam("category") @DefaultValue("garden") String category)
            throws InterruptedException {
        runs.ran(prefix + "realistic-cached");
        return Catalog.json(category, Catalog.page(category));
    }
}
