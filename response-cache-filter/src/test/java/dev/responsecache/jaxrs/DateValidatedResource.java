package dev.responsecache.jaxrs;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A method that evaluates {@code If-Modified-Since} alone and sends its current tag with a 304: a change within the
 * second of its {@code Last-Modified} is answered 304 with the new tag.
 */
@Path("/dated")
@Produces("text/plain")
public class DateValidatedResource {

    /** Thu, 01 Jan 2026 00:00:00 GMT. */
    private static final Date LAST_MODIFIED = new Date(1_767_225_600_000L);

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger version = new AtomicInteger(1);

    @GET
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response dated(@Context Request request) {
        calls.incrementAndGet();
        EntityTag tag = new EntityTag("v" + version.get());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(LAST_MODIFIED);
        if (notModified != null) {
            return notModified.tag(tag).header("Cache-Control", "max-age=60").build();
        }
        return Response.ok("dated " + version.get()).tag(tag).lastModified(LAST_MODIFIED)
                .header("Cache-Control", "max-age=60").build();
    }
}
