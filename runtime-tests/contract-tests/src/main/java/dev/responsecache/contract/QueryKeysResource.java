package dev.responsecache.contract;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A method that reads its query parameter as sent ({@code @Encoded}), beside one that reads it decoded. */
@Path("query")
@Produces(MediaType.TEXT_PLAIN)
public class QueryKeysResource {

    @GET
    @Path("encoded")
    @CacheResponse(ttl = 60)
    public String encoded(@Encoded @QueryParam("q") String q) {
        return "as sent: " + q;
    }

    @GET
    @Path("decoded")
    @CacheResponse(ttl = 60)
    public String decoded(@QueryParam("q") String q) {
        return "decoded: " + q;
    }
}
