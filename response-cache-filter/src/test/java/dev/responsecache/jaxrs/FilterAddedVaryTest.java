package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code Vary} that an application's response filter adds is not stored (the filter adds it again on a hit), but
 * the method's response may depend on the header it names: the entry is matched on it all the same.
 */
class FilterAddedVaryTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Greeting.class).register(VaryOnLanguage.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void varyAddedByAResponseFilterKeysTheEntry() {
        HttpResponse<String> german = server.getText("/api/greeting", "Accept-Language", "de");
        HttpResponse<String> french = server.getText("/api/greeting", "Accept-Language", "fr");
        assertEquals("Hallo", german.body());
        assertEquals("Bonjour", french.body(), "another language is not answered with the German entry");
        assertEquals("MISS", french.headers().firstValue("X-Cache").orElseThrow());
        HttpResponse<String> frenchAgain = server.getText("/api/greeting", "Accept-Language", "fr");
        assertEquals("HIT", frenchAgain.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("Bonjour", frenchAgain.body());
        assertEquals(List.of("Accept-Language"), frenchAgain.headers().allValues("Vary"), "the filter's Vary, once");
    }

    @Path("greeting")
    public static class Greeting {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String greet(@HeaderParam("Accept-Language") String language) {
            return "de".equals(language) ? "Hallo" : "Bonjour";
        }
    }

    /** Declares, for every response, the header the resources read: as a global filter of the application would. */
    public static class VaryOnLanguage implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("Vary", "Accept-Language");
        }
    }
}
