package dev.responsecache.jaxrs;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import java.util.concurrent.atomic.AtomicInteger;

/** Methods whose responses say themselves how long they may be cached. */
@Path("/h")
@Produces("text/plain")
public class HeaderDrivenResource {

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger version = new AtomicInteger(1);
    final List<String> conditions = new CopyOnWriteArrayList<>();

    /** Evaluates its preconditions itself, as a resource that knows its version does. */
    @GET
    @Path("validated")
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response validated(@Context Request request, @Context HttpHeaders headers) {
        int n = calls.incrementAndGet();
        conditions.add(String.valueOf(headers.getHeaderString(HttpHeaders.IF_NONE_MATCH)));
        EntityTag tag = new EntityTag("v" + version.get());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.header("Cache-Control", "max-age=60").header("X-Validated", n).build();
        }
        return Response.ok("validated " + version.get()).tag(tag).header("Cache-Control", "max-age=60").build();
    }

    @GET
    @Path("max-age")
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response maxAge() {
        return Response.ok("max-age " + calls.incrementAndGet()).header("Cache-Control", "max-age=60").build();
    }

    @GET
    @Path("no-store")
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response noStore() {
        return Response.ok("no-store " + calls.incrementAndGet()).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("silent")
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public String silent() {
        return "silent " + calls.incrementAndGet();
    }

    /** Older on arrival than its freshness, without a validator to revalidate it with. */
    @GET
    @Path("aged")
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response aged() {
        return Response.ok("aged " + calls.incrementAndGet()).header("Cache-Control", "max-age=10")
                .header("Age", "20").build();
    }

    @GET
    @Path("shared")
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response shared() {
        return Response.ok("shared " + calls.incrementAndGet()).header("Cache-Control", "s-maxage=60").build();
    }

    @GET
    @Path("capped")
    @CacheResponse(ttl = 10)
    public Response capped() {
        return Response.ok("capped " + calls.incrementAndGet()).header("Cache-Control", "max-age=60").build();
    }

    @GET
    @Path("short")
    @CacheResponse(ttl = 10)
    public Response shortLived() {
        return Response.ok("short " + calls.incrementAndGet()).header("Cache-Control", "max-age=5").build();
    }
}
