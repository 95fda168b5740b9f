package dev.responsecache.redis;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Variant;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Endpoints for the Redis tests; each counts its invocations, so a test can tell a hit from a miss. */
@Path("/")
public class RedisResource {

    static final int LARGE_BODY = 900 * 1024;

    final AtomicInteger calls = new AtomicInteger();
    /** While set, {@code stale/{id}} answers 503, as a method whose backend is down. */
    final AtomicBoolean failing = new AtomicBoolean();

    @GET
    @Path("items/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String item(@PathParam("id") String id) {
        return "item " + id + " call " + calls.incrementAndGet();
    }

    @GET
    @Path("stale/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60, staleWhileRevalidate = 30, staleIfError = 600)
    public Response staleItem(@PathParam("id") String id) {
        int call = calls.incrementAndGet();
        return failing.get() ? Response.status(503).entity("backend down").build()
                : Response.ok("stale item " + id + " call " + call).build();
    }

    @GET
    @Path("custom")
    @CacheResponse(ttl = 60)
    public Response custom() {
        return Response.status(203).type("application/vnd.example+json").header("X-Custom", "one")
                .header("X-Custom", "two").header("Content-Language", "en").header("Cache-Status", "OriginCache; hit")
                .header("Cache-Status", "").header("Cache-Status", "Edge; fwd=uri-miss; detail=\"\u00e9t\u00e9\"")
                .entity("{\"call\":" + calls.incrementAndGet() + "}").build();
    }

    @GET
    @Path("large")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @CacheResponse(ttl = 60)
    public byte[] large() {
        calls.incrementAndGet();
        return largeBody();
    }

    /**
     * Its language chosen by {@code Request.selectVariant}, which reads all four negotiation headers: Jersey answers
     * 400 for one it cannot read, and its {@code Vary: Accept-Language} marks the stored response.
     */
    @GET
    @Path("greeting")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public Response greeting(@Context Request request) {
        Variant variant = request.selectVariant(Variant.languages(Locale.GERMAN, Locale.FRENCH).add().build());
        Locale language = variant == null ? Locale.GERMAN : variant.getLanguage();
        String greeting = Locale.FRENCH.equals(language) ? "bonjour " : "hallo ";
        return Response.ok(greeting + calls.incrementAndGet()).language(language).build();
    }

    /** A body that depends only on the page, so that every response, hit or miss, can be checked exactly. */
    @GET
    @Path("pages/{page}")
    @Produces(MediaType.TEXT_PLAIN)
    @CacheResponse(ttl = 60)
    public String page(@PathParam("page") int page) {
        calls.incrementAndGet();
        return pageBody(page);
    }

    static byte[] largeBody() {
        byte[] bytes = new byte[LARGE_BODY];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    static String pageBody(int page) {
        return ("page " + page + " ").repeat(500 + page * 37);
    }

    static byte[] pageBytes(int page) {
        return pageBody(page).getBytes(StandardCharsets.UTF_8);
    }
}
