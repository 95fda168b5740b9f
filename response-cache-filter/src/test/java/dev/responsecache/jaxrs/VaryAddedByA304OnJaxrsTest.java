package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The JAX-RS revalidation's sibling of the servlet filter's {@code VaryAddedByA304KeysTheRevalidatedEntryTest}: a
 * 304 to alice's revalidation that adds {@code Vary: X-User} answers alice with the stored body, and leaves no entry
 * that would answer bob with it.
 */
class VaryAddedByA304OnJaxrsTest {

    private static final AtomicBoolean PERSONALISED = new AtomicBoolean();

    @Test
    void bobIsNotAnsweredTheEntryAlicesRevalidationMadeVaryOnTheUser() {
        PERSONALISED.set(false);
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(PageResource.class)
                .register(ResponseCacheFeature.class)).start()) {
            assertEquals("shared page", server.getText("/api/page", "X-User", "alice").body());
            PERSONALISED.set(true);
            HttpResponse<String> alice = server.getText("/api/page", "X-User", "alice");
            assertEquals("shared page", alice.body());
            HttpResponse<String> bob = server.getText("/api/page", "X-User", "bob");
            assertEquals("page for bob", bob.body(), "X-Cache: "
                    + bob.headers().firstValue("X-Cache").orElse("none"));
        }
    }

    @Path("page")
    public static final class PageResource {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
        public Response get(@Context Request request, @HeaderParam("X-User") String user) {
            if (!PERSONALISED.get()) {
                return Response.ok("shared page").tag("v1").header("Cache-Control", "no-cache").build();
            }
            EntityTag tag = new EntityTag("alice".equals(user) ? "v1" : "v1-" + user);
            Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
            Response.ResponseBuilder answer = notModified != null ? notModified
                    : Response.ok("alice".equals(user) ? "shared page" : "page for " + user);
            return answer.tag(tag).header("Cache-Control", "max-age=60").header("Vary", "X-User").build();
        }
    }
}
