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

import java.util.Set;

/**
 * Routes declared on interfaces: one the implementing class's method caches, one whose interface method does (what
 * RESTEasy, which names the interface as the resource, reads).
 */
public class InterfaceRouteApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, Catalog.class, Prices.class);
    }

    @Path("contract")
    public interface CatalogApi {

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        String page();
    }

    public static class Catalog implements CatalogApi {

        @Context
        private ServletContext servletContext;

        @Override
        @CacheResponse(ttl = 60)
        public String page() {
            return "catalog " + Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
        }
    }

    @Path("contract-cached")
    public interface PricesApi {

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        String page();
    }

    public static class Prices implements PricesApi {

        @Context
        private ServletContext servletContext;

        @Override
        public String page() {
            return "prices " + Counters.counter(servletContext, Counters.CALLS).incrementAndGet();
        }
    }
}
