package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JAX-RS annotations are read where the runtime reads them: a resource method with JAX-RS annotations of its own
 * inherits none of its interface's (JAX-RS 3.1, section 3.6), so an interface's {@code @Produces} does not fix the
 * method's type.
 */
class InheritedAnnotationsTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Listing.class).register(ResponseCacheFeature.class))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * The interface's {@code @Produces} was taken for the method's, so every {@code Accept} shared one entry, while
     * the runtime, ignoring it, negotiated the type from each request's {@code Accept}: one client's type was replayed
     * to the next.
     */
    @Test
    void interfacesProducesIgnoredByTheRuntimeDoesNotFixTheKeysType() {
        HttpResponse<String> html = server.getText("/api/listing", "Accept", "text/html");
        assertEquals("text/html", html.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> json = server.getText("/api/listing", "Accept", "application/json");
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElseThrow(),
                "X-Cache: " + json.headers().firstValue("X-Cache").orElse("none"));
    }

    /** A contract a client proxy shares; the implementation declares its own JAX-RS annotations. */
    public interface Listings {
        @Produces(MediaType.APPLICATION_XML)
        String list();
    }

    @Path("listing")
    public static final class Listing implements Listings {
        @GET
        @CacheResponse(ttl = 60)
        @Override
        public String list() {
            return "list";
        }
    }
}
