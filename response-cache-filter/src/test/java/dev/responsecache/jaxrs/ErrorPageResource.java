package dev.responsecache.jaxrs;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.atomic.AtomicInteger;

/** Errors with and without an entity, a plain page, and a response that sets a cookie; every call counts. */
@Path("/")
@Produces("text/plain")
public class ErrorPageResource {

    final AtomicInteger calls = new AtomicInteger();

    @GET
    @Path("missing")
    @CacheResponse(ttl = 60)
    public String missing() {
        calls.incrementAndGet();
        throw new NotFoundException();
    }

    @GET
    @Path("gone")
    @CacheResponse(ttl = 60)
    public Response gone() {
        return Response.status(404).entity("gone call " + calls.incrementAndGet()).build();
    }

    @GET
    @Path("page")
    @CacheResponse(ttl = 60)
    public String page() {
        return "page call " + calls.incrementAndGet();
    }

    @GET
    @Path("cookie")
    @CacheResponse(ttl = 60)
    public Response cookie() {
        return Response.ok("cookie call " + calls.incrementAndGet())
                .cookie(new NewCookie.Builder("seen").value("yes").build()).build();
    }
}
