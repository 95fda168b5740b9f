package dev.responsecache.contract;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.annotation.CacheResponse;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.util.List;

/**
 * The endpoints of {@link ParityContract} as resource methods; {@link ParityServlet} answers the same paths alike.
 * Each method offers two types, so that, as behind the servlet filter, the representation follows {@code Accept}.
 */
@Path("parity")
@Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
public class ParityResource {

    @Context
    private ServletContext servletContext;

    private int call() {
        return Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
    }

    @GET
    @Path("vary/language")
    @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
    public String language() {
        return "language " + call();
    }

    @GET
    @Path("vary/accept")
    @CacheResponse(ttl = 60)
    public String accept() {
        return "accept " + call();
    }

    @GET
    @Path("vary/own")
    @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
    public Response own() {
        return Response.ok("own " + call()).header("Vary", "accept-language, Origin").build();
    }

    @GET
    @Path("vary/cookie")
    @CacheResponse(ttl = 60, varyBy = "cookie:lang")
    public String cookie() {
        return "cookie " + call();
    }

    @GET
    @Path("host/absolute")
    @CacheResponse(ttl = 60, statuses = 308)
    public Response absolute(@Context UriInfo uri) {
        call();
        return Response.status(308).location(uri.getBaseUriBuilder().path("parity/host/target").build()).build();
    }

    @GET
    @Path("host/links")
    @CacheResponse(ttl = 60)
    public String links(@Context UriInfo uri) {
        call();
        return "{\"next\":\"" + uri.getBaseUriBuilder().path("parity/host/target").build() + "\"}";
    }

    @GET
    @Path("host/cors")
    @CacheResponse(ttl = 60)
    public Response cors(@HeaderParam("Origin") String origin) {
        return Response.ok("data " + call()).header("Access-Control-Allow-Origin", origin).build();
    }

    @GET
    @Path("host/plain")
    @CacheResponse(ttl = 60)
    public String plain() {
        return "plain " + call();
    }

    @GET
    @Path("bodies/large")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @CacheResponse(ttl = 60)
    public StreamingOutput large() {
        call();
        return inChunks(Bodies.of(Bodies.LARGE));
    }

    @GET
    @Path("bodies/small")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @CacheResponse(ttl = 60)
    public StreamingOutput small() {
        call();
        return inChunks(Bodies.of(Bodies.SMALL));
    }

    @GET
    @Path("bodies/stall")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @CacheResponse(ttl = 60)
    public StreamingOutput stall() {
        call();
        return inChunks(Bodies.of(Bodies.WHOLE));
    }

    /** Streams a body larger than any socket buffer, swallowing a failed write as careless code does. */
    @GET
    @Path("bodies/hang-up")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @CacheResponse(ttl = 60)
    public StreamingOutput hangUp() {
        call();
        byte[] body = Bodies.of(Bodies.WHOLE);
        return out -> {
            try {
                for (int offset = 0; offset < body.length; offset += Bodies.CHUNK) {
                    out.write(body, offset, Bodies.CHUNK);
                    out.flush();
                }
            } catch (IOException swallowed) {
                // Carries on as if the client had got everything.
            }
        };
    }

    private static StreamingOutput inChunks(byte[] body) {
        return out -> {
            for (int offset = 0; offset < body.length; offset += Bodies.CHUNK) {
                out.write(body, offset, Math.min(Bodies.CHUNK, body.length - offset));
            }
        };
    }

    @GET
    @Path("evict/listed/{id}")
    @CacheResponse(ttl = 60)
    public String listed(@PathParam("id") String id, @Context HttpServletRequest request) {
        request.setAttribute(ResponseCacheInvalidator.RESPONSE_TAGS, List.of("listed"));
        return "listed " + id + " " + call();
    }

    @GET
    @Path("evict/shown/{id}")
    @CacheResponse(ttl = 60)
    public Response shown(@PathParam("id") String id) {
        return Response.ok("shown " + id + " " + call()).header("X-Parity-Tags", "shown:" + id + ", shown").build();
    }

    @PUT
    @Path("evict/shown/{id}")
    public Response change(@PathParam("id") String id) {
        call();
        return Response.noContent().header("X-Parity-Tags", "shown").build();
    }
}
