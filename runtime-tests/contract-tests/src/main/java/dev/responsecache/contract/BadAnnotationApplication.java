package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/** An application whose one cached method has a bad annotation ({@code ttl = 0}): its start-up must fail. */
public class BadAnnotationApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, ZeroTtl.class);
    }

    /** {@code ttl} must be above 0. */
    @Path("zero-ttl")
    public static class ZeroTtl {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 0)
        public String get() {
            return "never";
        }
    }
}
