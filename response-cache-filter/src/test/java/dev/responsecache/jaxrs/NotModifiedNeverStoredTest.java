package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
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

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A 304 is the answer to one client's precondition, not a representation: like a 206 or a 1xx, it is never stored.
 * A {@code statuses} naming one fails the start-up (it could only mean a wrong hit); at run time such a status is
 * refused whatever the policy says ({@code StorageRulesTest}).
 */
class NotModifiedNeverStoredTest {

    @Test
    void statusesNamingNotModifiedFailsTheStartupNamingTheMethodAndTheStatus() {
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> new ApplicationHandler(
                new ResourceConfig(NamesNotModified.class).register(ResponseCacheFeature.class)));
        ResponseCacheConfigException error = null;
        for (Throwable cause = thrown; cause != null && error == null; cause = cause.getCause()) {
            error = cause instanceof ResponseCacheConfigException config ? config : null;
        }
        assertTrue(error != null, "start-up failed without naming the configuration problem: " + thrown);
        assertTrue(error.getMessage().contains(NamesNotModified.class.getName() + "#get"), error.getMessage());
        assertTrue(error.getMessage().contains("statuses names 304"), error.getMessage());
    }

    @Test
    void notModifiedAnsweredToAConditionalMissIsNotReplayedToAPlainRequest() {
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(DocumentResource.class)
                .register(ResponseCacheFeature.class)).start()) {
            HttpResponse<String> conditional = server.getText("/api/document", "If-None-Match", "\"v1\"");
            assertEquals(304, conditional.statusCode());
            HttpResponse<String> plain = server.getText("/api/document");
            assertEquals(200, plain.statusCode(), "X-Cache: " + plain.headers().firstValue("X-Cache").orElse("none"));
            assertEquals("version 1", plain.body());
        }
    }

    @Path("document")
    public static final class DocumentResource {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response get(@Context Request request) {
            EntityTag tag = new EntityTag("v1");
            Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
            return notModified != null ? notModified.build() : Response.ok("version 1").tag(tag).build();
        }
    }

    @Path("names-304")
    public static final class NamesNotModified {
        @GET
        @CacheResponse(ttl = 60, statuses = {200, 304})
        public String get() {
            return "never served";
        }
    }
}
