package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A resource whose backend can be made to fail in each way stale-if-error covers; it counts its invocations. */
@Path("flaky")
public class FlakyResource {

    /** How the next invocations answer. */
    public enum Mode { OK, RETURNS_503, THROWS_503, RETURNS_404, EVICTS_THEN_THROWS_503 }

    final AtomicInteger calls = new AtomicInteger();
    /** An update of the resource while a request for it runs: evicts its entries (mode EVICTS_THEN_THROWS_503). */
    @Context
    ResponseCacheInvalidator invalidator;
    final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, staleIfError = 600, varyBy = "header:Accept-Language")
    public Response item(@PathParam("id") String id) {
        int call = calls.incrementAndGet();
        return switch (mode.get()) {
            case OK -> Response.ok("item " + id + " call " + call).header("X-Item", id).build();
            case RETURNS_503 -> Response.status(503).entity("backend down").build();
            case THROWS_503 -> throw new ServiceUnavailableException();
            case RETURNS_404 -> Response.status(404).entity("gone").build();
            case EVICTS_THEN_THROWS_503 -> {
                invalidator.evictPath("/api/flaky/" + id);
                throw new ServiceUnavailableException();
            }
        };
    }

    @GET
    @Path("short/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response withoutWindow(@PathParam("id") String id) {
        return item(id);
    }
}
