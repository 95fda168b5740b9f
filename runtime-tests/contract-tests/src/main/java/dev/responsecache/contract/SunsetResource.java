package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Cached methods announced as going away, one answering through an exception mapper. */
@Path("sunset")
public class SunsetResource {

    static final String DATE = "Sat, 01 Jan 2033 00:00:00 GMT";

    @Context
    private ServletContext servletContext;

    /** Thrown for a product retired already: {@link Retired} answers it with a page of its own. */
    public static final class RetiredException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RetiredException(String message) {
            super(message, null, false, false);
        }
    }

    /** The page of a retired product, made of the exception: the runtime gives it none of the method's annotations. */
    public static class Retired implements ExceptionMapper<RetiredException> {

        @Override
        public Response toResponse(RetiredException exception) {
            return Response.status(410).entity(exception.getMessage()).type(MediaType.TEXT_PLAIN).build();
        }
    }

    @GET
    @Path("catalog")
    @Produces(MediaType.TEXT_PLAIN)
    @SunsetOn(DATE)
    @CacheResponse(ttl = 60)
    public String catalog() {
        return "catalog " + Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
    }

    /** An empty page: RESTEasy and Jersey still run the writer interceptors for its empty entity. */
    @GET
    @Path("nothing")
    @Produces(MediaType.TEXT_PLAIN)
    @SunsetOn(DATE)
    @CacheResponse(ttl = 60)
    public String nothing() {
        Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
        return "";
    }

    @GET
    @Path("retired")
    @Produces(MediaType.TEXT_PLAIN)
    @SunsetOn(DATE)
    @CacheResponse(ttl = 60, statuses = 410)
    public String retired() {
        throw new RetiredException("retired " + Counters.counter(servletContext, Counters.CALLS).incrementAndGet());
    }

    /** Resumed with its page on another thread: the runtime gives that entity the method's annotations too. */
    @GET
    @Path("suspended")
    @Produces(MediaType.TEXT_PLAIN)
    @SunsetOn(DATE)
    @CacheResponse(ttl = 60)
    public void suspended(@Suspended AsyncResponse response) {
        int call = Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
        CompletableFuture.runAsync(() -> response.resume("suspended " + call));
    }

    @GET
    @Path("staged")
    @Produces(MediaType.TEXT_PLAIN)
    @SunsetOn(DATE)
    @CacheResponse(ttl = 60)
    public CompletionStage<String> staged() {
        int call = Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
        return CompletableFuture.supplyAsync(() -> "staged " + call);
    }
}
