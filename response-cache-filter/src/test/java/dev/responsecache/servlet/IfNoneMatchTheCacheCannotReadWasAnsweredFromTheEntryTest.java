package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hit read an {@code If-None-Match} that is neither {@code *} nor a list of entity tags as matching nothing and
 * answered the stored 200, where the application reads it its own way: Jersey's {@code evaluatePreconditions} refuses
 * {@code If-None-Match: v1} with a 400. Such a request is now left to the application, on every hit path; a list of
 * entity tags is still answered from the entry.
 */
class IfNoneMatchTheCacheCannotReadWasAnsweredFromTheEntryTest {

    private static final List<String> UNREADABLE = List.of("v1", "\"v1", "w/\"v1\"", "\"v1\" \"v2\"", "*, \"v1\"");

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** The hit is warmed, then each unreadable field is answered as the application alone answers it. */
    private static void answeredAsTheApplicationAnswers(BiFunction<String, String, HttpResponse<String>> cached,
            BiFunction<String, String, HttpResponse<String>> alone, String path) {
        assertEquals(200, cached.apply(path, null).statusCode());
        HttpResponse<String> hit = cached.apply(path, null);
        assertEquals("HIT", xCache(hit));
        for (String field : UNREADABLE) {
            HttpResponse<String> left = cached.apply(path, field);
            assertEquals(alone.apply(path, field).statusCode(), left.statusCode(), field);
            assertNotEquals("HIT", xCache(left), field);
        }
        String tag = hit.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = cached.apply(path, "\"other\", " + tag);
        assertEquals(304, notModified.statusCode());
        assertEquals("HIT", xCache(notModified));
    }

    private static BiFunction<String, String, HttpResponse<String>> client(Container.Running app) {
        return (path, field) -> field == null ? app.get(path) : app.get(path, "If-None-Match", field);
    }

    private static BiFunction<String, String, HttpResponse<String>> client(TestServer server) {
        return (path, field) -> field == null ? server.getText(path) : server.getText(path, "If-None-Match", field);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletFilterInFrontOfTheDefaultServlet(Container container) throws IOException {
        Path files = Files.createTempDirectory("static");
        Files.writeString(files.resolve("page.txt"), "a static page");
        try (Container.Running alone = container.start(new ServletApp().staticFiles(files));
             Container.Running cached = container.start(new ServletApp().staticFiles(files)
                     .filter("cache", new ResponseCacheFilter(), "/*", "ttl", "60"))) {
            answeredAsTheApplicationAnswers(client(cached), client(alone), "/page.txt");
        }
    }

    @Test
    void jaxrsHitBeforeMatching() {
        TestServer alone = TestServer.jersey(new ResourceConfig().register(Tagged.class)).start();
        TestServer cached = TestServer.jersey(new ResourceConfig().register(Tagged.class)
                .register(ResponseCacheFeature.class)).start();
        try {
            answeredAsTheApplicationAnswers(client(cached), client(alone), "/api/tagged");
        } finally {
            cached.close();
            alone.close();
        }
    }

    @Test
    void jaxrsHitInFrontOfTheRuntime() {
        TestServer alone = TestServer.jersey(new ResourceConfig().register(Tagged.class)).start();
        TestServer cached = TestServer.jersey(new ResourceConfig().register(Tagged.class)
                .register(ResponseCacheFeature.class));
        cached.context().addServletContainerInitializer(new ResponseCacheInitializer());
        cached.start();
        try {
            answeredAsTheApplicationAnswers(client(cached), client(alone), "/api/tagged");
            assertEquals(400, alone.getText("/api/tagged", "If-None-Match", "v1").statusCode(),
                    "Jersey refuses what it cannot read");
        } finally {
            cached.close();
            alone.close();
        }
    }

    /** Answers {@code If-None-Match} itself, through {@code Request.evaluatePreconditions}. */
    @jakarta.ws.rs.Path("tagged")
    public static final class Tagged {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public Response get(@Context Request request) {
            EntityTag tag = new EntityTag("v1");
            Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
            return notModified != null ? notModified.build() : Response.ok("tagged").tag(tag).build();
        }
    }
}
