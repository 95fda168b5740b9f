package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.TimeUnit;

/** Cached resource methods that count their invocations, so that a test tells a hit from a miss. */
@Path("/")
public class ItemsResource {

    @Context
    private ServletContext servletContext;

    private int call() {
        return Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
    }

    @GET
    @Path("items/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @CacheResponse(ttl = 60)
    public Response item(@PathParam("id") String id) {
        return Response.status(203).header("X-Item", id).header("X-Multi", "one").header("X-Multi", "two")
                .entity("{\"id\":\"" + id + "\",\"call\":" + call() + "}").build();
    }

    @GET
    @Path("language")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
    public String language(@Context HttpHeaders headers) {
        return headers.getHeaderString("Accept-Language") + " " + call();
    }

    @GET
    @Path("vary-response")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response varyResponse(@Context HttpHeaders headers) {
        return Response.ok(headers.getHeaderString("X-Flavour") + " " + call()).header("Vary", "X-Flavour").build();
    }

    @GET
    @Path("cookie")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response cookie() {
        return Response.ok("cookie " + call()).cookie(new NewCookie.Builder("session").value("abc").build()).build();
    }

    @GET
    @Path("large")
    @Produces("application/octet-stream")
    @CacheResponse(ttl = 60)
    public byte[] large() {
        call();
        return new byte[4096];
    }

    @GET
    @Path("gated")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String gated() throws InterruptedException {
        int call = call();
        if (!Counters.gate(servletContext).await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the second request never entered the runtime");
        }
        return "gated " + call;
    }

    @GET
    @Path("stale/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, staleWhileRevalidate = 30, staleIfError = 600)
    public Response stale(@PathParam("id") String id) {
        StaleBehaviour behaviour = StaleBehaviour.of(servletContext);
        String body = behaviour.call(id, call());
        return behaviour.mode == StaleBehaviour.Mode.ANSWER_503 ? Response.status(503).entity("backend down").build()
                : Response.ok(body).build();
    }
}
