package dev.responsecache.redis;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A catalogue served by several instances over one data source (the map they share, standing for a database), so
 * that a change made through one instance must reach every instance's cache.
 */
@Path("products")
@Produces(MediaType.TEXT_PLAIN)
public class CatalogueResource {

    private final Map<String, String> prices;
    /** Counted down by a {@code /gated} request once it has read the price. */
    final CountDownLatch read = new CountDownLatch(1);
    /** Holds that request until the test opens it. */
    final CountDownLatch resume = new CountDownLatch(1);

    CatalogueResource(Map<String, String> prices) {
        this.prices = prices;
    }

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

    @PUT
    @Path("{id}")
    public Response update(@PathParam("id") String id, String price) {
        prices.put(id, price);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/discount")
    @InvalidatesCache(tags = "product:{id}")
    public String discount(@PathParam("id") String id, String price) {
        prices.put(id, price);
        return "discounted";
    }
}
