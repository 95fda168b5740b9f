package dev.responsecache.jaxrs;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.util.concurrent.atomic.AtomicInteger;

/** A method whose ttl passes validation but is far longer than any store keeps anything. */
@Path("/")
@Produces("text/plain")
public class LongLivedResource {

    final AtomicInteger calls = new AtomicInteger();

    @GET
    @Path("forever")
    @CacheResponse(ttl = Long.MAX_VALUE)
    public String forever() {
        return "forever call " + calls.incrementAndGet();
    }
}
