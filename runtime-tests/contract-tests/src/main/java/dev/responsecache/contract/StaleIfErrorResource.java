package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The endpoints of {@link StaleIfErrorParityContract} as resource methods; {@link StaleIfErrorServlet} answers the
 * same paths alike, as its {@link Outage} says.
 */
@Path("sie")
@Produces(MediaType.TEXT_PLAIN)
public class StaleIfErrorResource {

    @Context
    private ServletContext servletContext;

    private Response answer(String id) {
        Outage outage = Outage.of(servletContext);
        int status = outage.answering();
        String body = outage.body(id, Counters.counter(servletContext, Counters.CALLS).incrementAndGet());
        Response.ResponseBuilder response = Response.status(status).entity(body);
        return outage.mode == Outage.Mode.OK ? response.header("X-Item", id).build() : response.build();
    }

    @GET
    @Path("window/{id}")
    @CacheResponse(ttl = 60, staleIfError = 600, varyBy = "header:Accept-Language")
    public Response window(@PathParam("id") String id) {
        return answer(id);
    }

    @GET
    @Path("user/{id}")
    @CacheResponse(ttl = 60, staleIfError = 600, varyBy = "principal")
    public Response user(@PathParam("id") String id) {
        return answer(id);
    }

    @GET
    @Path("short/{id}")
    @CacheResponse(ttl = 60)
    public Response withoutStaleIfError(@PathParam("id") String id) {
        return answer(id);
    }
}
