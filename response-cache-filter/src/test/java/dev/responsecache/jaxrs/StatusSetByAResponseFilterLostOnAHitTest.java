package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application response filter that sets the status from what the method returned (a retired product's page
 * answered 410 Gone) sees, on a hit, the stored bytes instead of the method's entity, and leaves the status alone:
 * the entry held the method's 200, so the miss answered 410 and every hit 200 with the same page. A response whose
 * status a filter changed is not stored.
 */
class StatusSetByAResponseFilterLostOnAHitTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Products.class).register(GoneWhenRetired.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aStatusAResponseFilterSetIsTheStatusOfEveryAnswer() {
        HttpResponse<String> first = server.getText("/api/products/7");
        assertEquals(410, first.statusCode());
        assertTrue(first.headers().firstValue("Cache-Status").orElse("").endsWith("detail=status-replaced"),
                first.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> second = server.getText("/api/products/7");
        assertEquals(410, second.statusCode(), "X-Cache: " + second.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(first.body(), second.body());
    }

    @Path("products/{id}")
    public static class Products {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response product(@PathParam("id") String id) {
            return Response.ok(RETIRED + id).build();
        }
    }

    private static final String RETIRED = "no longer sold: product ";

    /** Answers a retired product's page 410 Gone, whichever method returned it. */
    public static class GoneWhenRetired implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (response.getEntity() instanceof String text && text.startsWith(RETIRED)) {
                response.setStatus(Response.Status.GONE.getStatusCode());
            }
        }
    }
}
