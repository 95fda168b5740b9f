package dev.responsecache.jaxrs;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Versions that share one {@code Last-Modified}, each with its own tag. {@code /dated} evaluates
 * {@code If-Modified-Since} alone: a change within the second of its {@code Last-Modified} would be answered 304
 * with the new tag. {@code /dated/{directive}} answers 304 to any {@code If-None-Match} (an origin that takes the
 * tag's presence for a match), with its current tag and {@code Cache-Control: max-age=60, directive}.
 */
@Path("/dated")
@Produces("text/plain")
public class DateValidatedResource {

    /** Thu, 01 Jan 2026 00:00:00 GMT. */
    private static final Date LAST_MODIFIED = new Date(1_767_225_600_000L);

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger version = new AtomicInteger(1);
    final AtomicReference<String> lastIfModifiedSince = new AtomicReference<>();

    @GET
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response dated(@Context Request request, @HeaderParam("If-Modified-Since") String ifModifiedSince) {
        calls.incrementAndGet();
        if (ifModifiedSince != null) {
            lastIfModifiedSince.set(ifModifiedSince);
        }
        EntityTag tag = new EntityTag("v" + version.get());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(LAST_MODIFIED);
        if (notModified != null) {
            return notModified.tag(tag).header("Cache-Control", "max-age=60").build();
        }
        return Response.ok("dated " + version.get()).tag(tag).lastModified(LAST_MODIFIED)
                .header("Cache-Control", "max-age=60").build();
    }

    @GET
    @Path("{directive}")
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response anyTag(@PathParam("directive") String directive,
                           @HeaderParam("If-None-Match") String ifNoneMatch) {
        calls.incrementAndGet();
        EntityTag tag = new EntityTag("v" + version.get());
        Response.ResponseBuilder answer = ifNoneMatch != null ? Response.notModified()
                : Response.ok("dated " + version.get());
        return answer.tag(tag).lastModified(LAST_MODIFIED).header("Cache-Control", "max-age=60, " + directive)
                .build();
    }
}
