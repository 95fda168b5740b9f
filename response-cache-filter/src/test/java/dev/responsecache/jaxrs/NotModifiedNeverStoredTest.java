package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A 304 is the answer to one client's precondition, not a representation: like a 206, it must never be stored, even
 * when {@code statuses} names it (a value the start-up check accepts, as it accepts every status from 100 to 499).
 */
class NotModifiedNeverStoredTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(DocumentResource.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void notModifiedAnsweredToAConditionalMissIsNotReplayedToAPlainRequest() {
        HttpResponse<String> conditional = server.getText("/api/document", "If-None-Match", "\"v1\"");
        assertEquals(304, conditional.statusCode());
        HttpResponse<String> plain = server.getText("/api/document");
        assertEquals(200, plain.statusCode(), "X-Cache: " + plain.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("version 1", plain.body());
    }

    @Path("document")
    public static final class DocumentResource {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, statuses = {200, 304})
        public Response get(@Context Request request) {
            EntityTag tag = new EntityTag("v1");
            Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
            return notModified != null ? notModified.build() : Response.ok("version 1").tag(tag).build();
        }
    }
}
