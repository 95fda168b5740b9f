package dev.responsecache.jaxrs;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates its preconditions itself; its second call (the stale-while-revalidate refresh) has read its data, then
 * is slow to finish until released.
 */
@Path("/slow-revalidation")
@Produces("text/plain")
public class SlowRevalidationResource {

    static final Duration WAIT = Duration.ofSeconds(30);

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger version = new AtomicInteger(1);
    final CountDownLatch refreshRead = new CountDownLatch(1);
    final CountDownLatch refreshMayEnd = new CountDownLatch(1);

    @GET
    @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
    public Response page(@Context Request request) throws InterruptedException {
        int call = calls.incrementAndGet();
        EntityTag tag = new EntityTag("v" + version.get());
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (call == 2) {
            refreshRead.countDown();
            refreshMayEnd.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        if (notModified != null) {
            return notModified.header("Cache-Control", "max-age=60").header("X-Validated", call).build();
        }
        return Response.ok("version " + version.get()).tag(tag)
                .header("Cache-Control", "max-age=10, stale-while-revalidate=30").build();
    }
}
