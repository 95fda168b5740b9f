package dev.responsecache.sample;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

    /** Cached per query: {@code ?category=garden&limit=5} and {@code ?limit=5&category=garden} share one entry. */
    @GET
    @CacheResponse(ttl = 30)
    public List<Product> search(@QueryParam("category") String category,
                                @QueryParam("limit") @DefaultValue("10") int limit) {
        return Catalogue.INSTANCE.search(category, Math.min(limit, 100));
    }

    /** Not cached: how many times the slow backend has been called. */
    @GET
    @Path("backend-calls")
    public Map<String, Long> backendCalls() {
        return Map.of("lookups", Catalogue.INSTANCE.lookups());
    }
}
