package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.annotation.Priority;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/GUARANTEES.md ("Hits never skip an application filter"): the lookup runs after the application's own filters, "so a cached response never
 * reaches a request the application would reject". A request filter of the application at a priority above the
 * lookup's ({@code USER + 1000}), here an API-key check at {@code USER + 2000}, runs after the lookup: a hit is
 * answered before it, and a request without the key gets the cached 200 ("report for key-1") where the application
 * answers 401. Nothing refuses such a filter at start-up, as the {@code Integer.MAX_VALUE} response filter is refused.
 */
class RequestFilterAfterTheLookupPrioritySkippedOnHitsTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Report.class).register(ApiKeyCheck.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void requestWithoutTheApiKeyIsRejectedAfterAnotherClientFilledTheEntry() {
        HttpResponse<String> allowed = server.getText("/api/report", "X-Api-Key", "key-1");
        assertEquals(200, allowed.statusCode());
        assertEquals("report", allowed.body());
        HttpResponse<String> anonymous = server.getText("/api/report");
        // Without the cache: 401. With it: 200 "report" (X-Cache: HIT).
        assertEquals(401, anonymous.statusCode(),
                "X-Cache: " + anonymous.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("report")
    public static final class Report {
        @GET
        @CacheResponse(ttl = 600)
        public String report() {
            return "report";
        }
    }

    /** An API-key check placed late in the chain, after the application's own user filters. */
    @Priority(Priorities.USER + 2000)
    public static final class ApiKeyCheck implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getHeaderString("X-Api-Key") == null) {
                request.abortWith(Response.status(401).entity("no key").build());
            }
        }
    }
}
