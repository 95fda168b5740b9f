package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Providers;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A catalogue whose prices change, with every way of invalidating its cached pages. */
@Path("products")
@Produces(MediaType.TEXT_PLAIN)
public class ProductResource {

    final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));
    /** Counted down by a {@code /gated} request once it has read the price. */
    final CountDownLatch read = new CountDownLatch(1);
    /** Holds that request until the test opens it. */
    final CountDownLatch resume = new CountDownLatch(1);

    @Context
    Configuration configuration;

    @Context
    ResponseCacheInvalidator injected;

    @Context
    Providers providers;

    @Inject
    ResponseCacheInvalidator viaInject;

    @GET
    @Path("{id}")
    @CacheResponse(ttl = 600, tags = {"products", "product:{id}"})
    public String product(@PathParam("id") String id) {
        return "product " + id + " costs " + prices.get(id);
    }

    @GET
    @CacheResponse(ttl = 600, tags = "products")
    public String list() {
        return "all " + new TreeMap<>(prices);
    }

    /** Tagged at run time with the products it shows. */
    @GET
    @Path("cheap")
    @CacheResponse(ttl = 600)
    public String cheap(@Context HttpServletRequest request) {
        request.setAttribute(ResponseCacheInvalidator.RESPONSE_TAGS, List.of("product:1", "product:2"));
        return "cheap " + new TreeMap<>(prices);
    }

    /** Tagged at run time through the tag header, which the client never sees. */
    @GET
    @Path("pricey")
    @CacheResponse(ttl = 600)
    public Response pricey() {
        return Response.ok("pricey " + new TreeMap<>(prices)).header("X-Product-Tags", "product:1 product:2").build();
    }

    @GET
    @Path("{id}/gated")
    @CacheResponse(ttl = 600, tags = "product:{id}")
    public String gated(@PathParam("id") String id) throws InterruptedException {
        String price = prices.get(id);
        read.countDown();
        if (!resume.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never resumed the request");
        }
        return "gated " + id + " costs " + price;
    }

    /** Not cached, yet tagged through the header: the client must not get it either. */
    @GET
    @Path("uncached")
    public Response uncached() {
        return Response.ok("uncached").header("X-Product-Tags", "product:1").build();
    }

    /** Default invalidation: a successful PUT evicts its own path. */
    @PUT
    @Path("{id}")
    public Response update(@PathParam("id") String id, String price) {
        if (price.isBlank()) {
            return Response.status(400).build();
        }
        prices.put(id, price);
        return Response.noContent().build();
    }

    /** Declarative invalidation by tag. */
    @POST
    @Path("{id}/discount")
    @InvalidatesCache(tags = {"product:{id}", "products"})
    public Response discount(@PathParam("id") String id, String price) {
        if (price.equals("fail")) {
            return Response.status(409).build();
        }
        prices.put(id, price);
        return Response.ok("discounted").build();
    }

    /** A change the default rule cannot see: only the invalidator tells the cache. */
    @POST
    @Path("sale")
    public String sale() {
        prices.replaceAll((id, price) -> "1");
        long removed = ((ResponseCacheInvalidator) configuration.getProperty(ResponseCacheInvalidator.ATTRIBUTE))
                .evictTags("products");
        return "removed " + removed;
    }

    /** Evicts one URL through the injected invalidator, or through the portable resolver. */
    @POST
    @Path("evict")
    public String evict(@QueryParam("url") String url, @QueryParam("portable") boolean portable,
                        @QueryParam("inject") boolean inject) {
        ResponseCacheInvalidator invalidator = portable
                ? providers.getContextResolver(ResponseCacheInvalidator.class, MediaType.WILDCARD_TYPE)
                        .getContext(getClass())
                : inject ? viaInject : injected;
        return "removed " + invalidator.evictRequest(URI.create(url));
    }

    @DELETE
    @Path("{id}")
    public void delete(@PathParam("id") String id) {
        prices.remove(id);
    }
}
