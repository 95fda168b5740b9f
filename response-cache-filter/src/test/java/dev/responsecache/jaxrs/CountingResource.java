package dev.responsecache.jaxrs;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Endpoints that count their invocations, so a test can tell a hit (no invocation) from a miss. */
@Path("/")
public class CountingResource {

    final AtomicInteger calls = new AtomicInteger();
    /** Holds {@code /gated} requests until a test opens it. */
    final CountDownLatch gate = new CountDownLatch(1);

    @GET
    @Path("gated")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String gated() throws InterruptedException {
        int call = calls.incrementAndGet();
        gate.await(30, TimeUnit.SECONDS);
        return "gated " + call;
    }

    @GET
    @Path("items/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @CacheResponse(ttl = 60)
    public String item(@PathParam("id") String id) {
        return "{\"id\":\"" + id + "\",\"call\":" + calls.incrementAndGet() + "}";
    }

    @GET
    @Path("search")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String search(@QueryParam("q") List<String> q, @QueryParam("page") String page) {
        return "q=" + q + " page=" + page + " call=" + calls.incrementAndGet();
    }

    @GET
    @Path("custom")
    @CacheResponse(ttl = 60)
    public Response custom() {
        return Response.status(203).type("application/vnd.example+json").header("X-Custom", "one")
                .header("X-Custom", "two").header("Cache-Control", "public, max-age=60")
                .entity("{\"call\":" + calls.incrementAndGet() + "}").build();
    }

    @GET
    @Path("missing")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String missing() {
        calls.incrementAndGet();
        throw new NotFoundException(Response.status(404).entity("not here").type("text/plain").build());
    }

    @GET
    @Path("binary")
    @Produces("application/octet-stream")
    @CacheResponse(ttl = 60)
    public byte[] binary() {
        calls.incrementAndGet();
        byte[] bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    @GET
    @Path("negotiated")
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @CacheResponse(ttl = 60)
    public Response negotiated(@Context HttpHeaders headers) {
        int call = calls.incrementAndGet();
        MediaType type = headers.getAcceptableMediaTypes().get(0).isCompatible(MediaType.TEXT_PLAIN_TYPE)
                ? MediaType.TEXT_PLAIN_TYPE : MediaType.APPLICATION_JSON_TYPE;
        String body = type.equals(MediaType.TEXT_PLAIN_TYPE) ? "text " + call : "{\"call\":" + call + "}";
        return Response.ok(body, type).build();
    }

    @GET
    @Path("language")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
    public String language(@Context HttpHeaders headers) {
        return headers.getHeaderString("Accept-Language") + " " + calls.incrementAndGet();
    }

    @GET
    @Path("vary-response")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response varyResponse(@Context HttpHeaders headers) {
        String flavour = headers.getHeaderString("X-Flavour");
        return Response.ok(flavour + " " + calls.incrementAndGet()).header("Vary", "X-Flavour").build();
    }

    @GET
    @Path("vary-star")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response varyStar() {
        return Response.ok("call " + calls.incrementAndGet()).header("Vary", "*").build();
    }

    @GET
    @Path("set-cookie")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response setCookie() {
        return Response.ok("call " + calls.incrementAndGet()).header("Set-Cookie", "session=abc").build();
    }

    @GET
    @Path("private")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response privateResponse() {
        return Response.ok("call " + calls.incrementAndGet()).header("Cache-Control", "private, max-age=60").build();
    }

    @GET
    @Path("no-store")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response noStore() {
        return Response.ok("call " + calls.incrementAndGet()).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("server-error")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, statuses = {200, 404})
    public Response serverError() {
        return Response.status(503).entity("call " + calls.incrementAndGet()).build();
    }

    @GET
    @Path("created")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response created() {
        return Response.status(202).entity("call " + calls.incrementAndGet()).build();
    }

    @GET
    @Path("empty")
    @CacheResponse(ttl = 60)
    public Response empty() {
        calls.incrementAndGet();
        return Response.noContent().header("X-Empty", "yes").build();
    }

    @GET
    @Path("large")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public StreamingOutput large() {
        calls.incrementAndGet();
        return out -> {
            byte[] line = "0123456789abcdef".repeat(64).getBytes();
            for (int i = 0; i < 2048; i++) {
                out.write(line);
            }
        };
    }

    @GET
    @Path("streamed")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public StreamingOutput streamed() {
        int call = calls.incrementAndGet();
        return out -> out.write(("streamed " + call).getBytes());
    }

    @GET
    @Path("async")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public void async(@Suspended AsyncResponse response) {
        int call = calls.incrementAndGet();
        new Thread(() -> response.resume("async " + call)).start();
    }

    @GET
    @Path("me")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, varyBy = "principal")
    public String me(@Context SecurityContext security) {
        return "hello " + security.getUserPrincipal().getName() + " " + calls.incrementAndGet();
    }

    @GET
    @Path("account")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String account(@Context SecurityContext security) {
        String who = security.getUserPrincipal() == null ? "anonymous" : security.getUserPrincipal().getName();
        return "account of " + who + " " + calls.incrementAndGet();
    }

    @GET
    @Path("everyone")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, sharedAcrossUsers = true)
    public String everyone() {
        return "same for all " + calls.incrementAndGet();
    }

    @GET
    @Path("theme")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, varyBy = "cookie:theme")
    public String theme(@jakarta.ws.rs.CookieParam("theme") String theme) {
        return "theme " + theme + " " + calls.incrementAndGet();
    }

    @GET
    @Path("gone")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String gone() {
        throw new ItemGoneException("gone " + calls.incrementAndGet());
    }

    @GET
    @Path("bad-request")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String badRequest() {
        throw new IllegalArgumentException("bad " + calls.incrementAndGet());
    }

    /** Mapped to 410 Gone by {@link ItemGoneMapper}. */
    static final class ItemGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ItemGoneException(String message) {
            super(message);
        }
    }

    @Provider
    public static final class ItemGoneMapper implements ExceptionMapper<ItemGoneException> {
        @Override
        public Response toResponse(ItemGoneException exception) {
            return Response.status(410).type(MediaType.TEXT_PLAIN).entity(exception.getMessage()).build();
        }
    }

    @Provider
    public static final class BadArgumentMapper
            implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException exception) {
            return Response.status(400).type(MediaType.TEXT_PLAIN).entity(exception.getMessage()).build();
        }
    }

    @GET
    @Path("dual")
    @Produces(MediaType.APPLICATION_JSON)
    @CacheResponse(ttl = 60)
    public String dualJson() {
        return "{\"call\":" + calls.incrementAndGet() + "}";
    }

    @GET
    @Path("dual")
    @Produces(MediaType.APPLICATION_XML)
    @CacheResponse(ttl = 60)
    public String dualXml() {
        return "<call>" + calls.incrementAndGet() + "</call>";
    }

    @POST
    @Path("items/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    public String update(@PathParam("id") String id) {
        return "updated " + id + " " + calls.incrementAndGet();
    }
}
