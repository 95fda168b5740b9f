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
