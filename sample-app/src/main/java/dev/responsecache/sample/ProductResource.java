package dev.responsecache.sample;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The catalogue: slow lookups, shared by every user, so each response is cached for a minute. */
@Path("products")
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    /**
     * Cached per id; an unknown id's 404 is cached too, so a flood of bad ids does not reach the backend. The 404
     * carries its own entity: one without (a bare {@code NotFoundException}) is handed to the container's error page,
     * which is never stored.
     */
    @GET
    @Path("{id}")
    @CacheResponse(ttl = 60)
    public Product product(@PathParam("id") long id) {
        return Catalogue.INSTANCE.find(id).orElseThrow(() -> new NotFoundException(Response
                .status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "no product " + id)).build()));
    }

    /**
     * Cached per query: {@code ?category=garden&limit=5} and {@code ?limit=5&category=garden} share one entry. Tagged
     * {@code products}, so a price change evicts every search (web.xml tags the reports alike).
     */
    @GET
    @CacheResponse(ttl = 30, tags = "products")
    public List<Product> search(@QueryParam("category") String category,
                                @QueryParam("limit") @DefaultValue("10") int limit) {
        return Catalogue.INSTANCE.search(category, Math.min(limit, 100));
    }

    /**
     * Changes a product's price ({@code curl -X PUT -H 'Content-Type: text/plain' -d 9.99 .../api/products/1}). A
     * successful PUT evicts the entries of its own path, {@code /api/products/1}, by default (RFC 9111 4.4);
     * {@code @InvalidatesCache} also evicts the searches and reports that list it, by their tag.
     */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.TEXT_PLAIN)
    @InvalidatesCache(tags = "products")
    public Response changePrice(@PathParam("id") long id, String price) {
        BigDecimal newPrice;
        try {
            newPrice = new BigDecimal(price.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException("not a price: " + price, e);
        }
        if (!Catalogue.INSTANCE.changePrice(id, newPrice)) {
            throw new NotFoundException("no product " + id);
        }
        return Response.noContent().build();
    }

    /** Not cached: how many times the slow backend has been called. */
    @GET
    @Path("backend-calls")
    public Map<String, Long> backendCalls() {
        return Map.of("lookups", Catalogue.INSTANCE.lookups());
    }
}
