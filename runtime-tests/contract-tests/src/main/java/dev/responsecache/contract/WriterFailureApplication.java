package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** A cached method whose body writer fails half way, and an exception mapper that answers the failure with a 200. */
public class WriterFailureApplication extends Application {

    static final String MAPPED = "mapped page";

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, Failing.class, Mapper.class);
    }

    /** Thrown by the writer after the first bytes of the body. */
    public static final class WriterFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        WriterFailed() {
            super("the writer failed", null, false, false);
        }
    }

    /** A page of the application's own for the failure, with the status of a success. */
    public static class Mapper implements ExceptionMapper<WriterFailed> {

        @Override
        public Response toResponse(WriterFailed exception) {
            return Response.ok(MAPPED, MediaType.TEXT_PLAIN).build();
        }
    }

    @Path("writer-fails")
    public static class Failing {

        @Context
        private ServletContext servletContext;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public StreamingOutput page() {
            Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
            return output -> {
                output.write("partial ".getBytes(StandardCharsets.UTF_8));
                throw new WriterFailed();
            };
        }
    }
}
