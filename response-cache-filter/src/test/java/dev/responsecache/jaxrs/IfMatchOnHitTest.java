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
 * A GET with {@code If-Match} (RFC 9110 13.1.1: a client that holds part of a representation asks for the rest only
 * if it is still the same one) is answered by the method with 412 when its tag is not current. RFC 9111 4.3.2: a
 * cache must not evaluate such a precondition itself; answering it from the entry as a plain 200 hands the client a
 * representation it said it did not want, where the application answers 412.
 */
class IfMatchOnHitTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Document.class).register(ResponseCacheFeature.class))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void getWhoseIfMatchNamesAnotherTagIsAnsweredPreconditionFailedOnAHitAsOnAMiss() {
        HttpResponse<String> first = server.getText("/api/document");
        assertEquals(200, first.statusCode());
        assertEquals("HIT", server.getText("/api/document").headers().firstValue("X-Cache").orElse("none"));

        HttpResponse<String> conditional = server.getText("/api/document", "If-Match", "\"v0\"");
        assertEquals(412, conditional.statusCode(),
                "X-Cache: " + conditional.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("document")
    public static final class Document {
        private static final EntityTag CURRENT = new EntityTag("v1");

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response get(@Context Request request) {
            Response.ResponseBuilder failed = request.evaluatePreconditions(CURRENT);
            if (failed != null) {
                return failed.build();
            }
            return Response.ok("version 1").tag(CURRENT).build();
        }
    }
}
