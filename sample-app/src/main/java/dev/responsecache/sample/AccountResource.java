package dev.responsecache.sample;

import dev.responsecache.annotation.CacheResponse;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import java.time.LocalTime;
import java.util.Map;

/**
 * Personalised responses. {@code /me/recommendations} is keyed on the user, so each user gets their own entry;
 * {@code /me/profile} does not say how to key it, so a request with credentials is never answered from or stored in
 * the cache: one user's page never reaches another.
 */
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    @GET
    @Path("recommendations")
    @CacheResponse(ttl = 60, varyBy = "principal")
    public Map<String, String> recommendations(@Context SecurityContext security) {
        return Map.of("user", security.getUserPrincipal().getName(),
                "recommended", "Product " + (Math.abs(security.getUserPrincipal().getName().hashCode()) % 1000 + 1),
                "renderedAt", LocalTime.now().withNano(0).toString());
    }

    @GET
    @Path("profile")
    @CacheResponse(ttl = 60)
    public Map<String, String> profile(@Context SecurityContext security) {
        String user = security.getUserPrincipal() == null ? "anonymous" : security.getUserPrincipal().getName();
        return Map.of("user", user, "renderedAt", LocalTime.now().withNano(0).toString());
    }
}
