package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A hit hands the runtime a parsed Content-Type; these pin that the header still reads exactly as stored. */
class ContentTypeReplayTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig(TypedResource.class).register(ResponseCacheFeature.class))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void contentTypeWrittenAsTextWithSpacesIsReplayedExactly() {
        assertReplayedExactly("/api/typed/spaced");
    }

    @Test
    void contentTypeWithParametersIsReplayedExactly() {
        assertReplayedExactly("/api/typed/parameters");
    }

    @Test
    void hitsOfTwoMethodsWithDifferentTypesKeepTheirOwnType() {
        for (int i = 0; i < 3; i++) {
            assertReplayedExactly("/api/typed/parameters");
            assertReplayedExactly("/api/typed/spaced");
        }
    }

    private void assertReplayedExactly(String path) {
        HttpResponse<String> first = server.getText(path);
        HttpResponse<String> second = server.getText(path);
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(first.headers().allValues("Content-Type"), second.headers().allValues("Content-Type"));
        assertEquals(first.body(), second.body());
        assertEquals(List.of(first.headers().firstValue("Content-Type").orElseThrow()),
                second.headers().allValues("Content-Type"));
    }

    /** Resources that set their Content-Type in the ways a hit must reproduce. */
    @Path("typed")
    public static class TypedResource {

        @GET
        @Path("spaced")
        @CacheResponse(ttl = 60)
        public Response spaced() {
            return Response.ok("spaced").header("Content-Type", "text/plain; charset=UTF-8").build();
        }

        @GET
        @Path("parameters")
        @CacheResponse(ttl = 60)
        public Response parameters() {
            return Response.ok("{}", new MediaType("application", "vnd.example+json", "utf-8")).build();
        }
    }
}
