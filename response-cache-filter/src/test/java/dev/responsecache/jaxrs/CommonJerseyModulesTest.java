package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.media.multipart.MultiPartFeature;
import org.glassfish.jersey.media.sse.SseFeature;
import org.glassfish.jersey.message.GZipEncoder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.CsrfProtectionFilter;
import org.glassfish.jersey.server.filter.EncodingFilter;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.glassfish.jersey.server.filter.UriConnegFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which of the modules Jersey applications commonly carry keep hits in front of Jersey (the library's first servlet
 * filter answers them, as the initializer maps it in a deployed WAR): a module that only adds providers for
 * entities, event sinks or form fields, or injections for the method's invocation, changes nothing a hit would
 * skip; one with a filter, interceptor or dynamic feature sends hits into Jersey, where they run through it.
 * {@link JerseyEntries} tells the two apart: a hit answered in front of Jersey never enters it.
 */
class CommonJerseyModulesTest {

    private final JerseyEntries entries = new JerseyEntries();
    private final BeanResource beans = new BeanResource();
    private static final Logger LOGGER = Logger.getLogger("dev.responsecache");
    private TestServer server;
    private Level previous;
    private LogCapture logs;

    @BeforeEach
    void captureDebug() {
        previous = LOGGER.getLevel();
        LOGGER.setLevel(Level.FINE);
        logs = LogCapture.of("dev.responsecache");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        logs.close();
        LOGGER.setLevel(previous);
    }

    /** The DEBUG line that says hits stay inside the runtime, naming one of {@code skipped}; null when none. */
    private String insideTheRuntimeLine() {
        return logs.messagesAtLeast(Level.FINE).stream().filter(m -> m.contains("a hit answered there would skip"))
                .findFirst().orElse(null);
    }

    private void assertHitsStayedInsideFor(String... skipped) {
        String line = insideTheRuntimeLine();
        assertTrue(line != null && Arrays.stream(skipped).anyMatch(line::endsWith), String.valueOf(line));
    }

    private void start(ResourceConfig app) {
        server = TestServer.jersey(app.register(beans).register(entries).register(ResponseCacheFeature.class));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
    }

    private static ResourceConfig app(Object... components) {
        ResourceConfig app = new ResourceConfig();
        for (Object component : components) {
            if (component instanceof Class<?> type) {
                app.register(type);
            } else {
                app.register(component);
            }
        }
        return app;
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** A miss, then a hit with the miss's status, type and body; returns how many of the two entered Jersey. */
    private int missThenHit(String path, String... headers) {
        int before = entries.count();
        HttpResponse<String> miss = server.getText(path, headers);
        HttpResponse<String> hit = server.getText(path, headers);
        assertEquals("MISS", cacheHeader(miss));
        assertEquals("HIT", cacheHeader(hit));
        assertEquals(miss.statusCode(), hit.statusCode());
        assertEquals(miss.headers().firstValue("Content-Type"), hit.headers().firstValue("Content-Type"));
        assertEquals(miss.body(), hit.body());
        return entries.count() - before;
    }

    @Test
    void sseFeatureKeepsHitsInFrontOfJersey() {
        // Auto-discovered from the class path as well; registered here as an application that sends events does.
        start(app(SseFeature.class));
        assertEquals(1, missThenHit("/api/beans/1"), "only the miss entered Jersey: the SSE binder binds no filter");
        assertEquals(1, beans.calls.get());
        assertEquals(null, insideTheRuntimeLine());
    }

    @Test
    void jacksonFeatureKeepsHitsInFrontOfJersey() {
        start(app(JacksonFeature.class));
        assertEquals(1, missThenHit("/api/beans/2"));
        assertEquals("{\"id\":\"2\",\"call\":1}", server.getText("/api/beans/2").body(), "written by Jackson");
    }

    @Test
    void multiPartFeatureKeepsHitsInFrontOfJersey() {
        start(app(MultiPartFeature.class));
        assertEquals(1, missThenHit("/api/beans/3"));
        assertEquals(null, insideTheRuntimeLine());
    }

    @Test
    void injectionBinderOfTheApplicationKeepsHitsInFrontOfJerseyWhenItBindsNoFilter() {
        start(app(new org.glassfish.hk2.utilities.binding.AbstractBinder() {
            @Override
            protected void configure() {
                bind("greeting").to(String.class).named("greeting");
            }
        }));
        assertEquals(1, missThenHit("/api/beans/4"), "Jersey's injection manager holds no filter of the binder");
    }

    @Test
    void authFilterABinderBindsKeepsHitsInsideJerseyAndIsNeverBypassed() {
        start(app(new PreMatchingHitsTest.UserFilterBinder()));
        assertEquals(2, missThenHit("/api/beans/shared/5", "X-User", "bob"), "the hit ran through the binder's filter");
        assertEquals(401, server.getText("/api/beans/shared/5").statusCode(), "an anonymous request gets no hit");
        assertHitsStayedInsideFor(PreMatchingHitsTest.UserFilter.class.getName());
    }

    @Test
    void rolesAllowedDynamicFeatureKeepsHitsInsideJersey() {
        start(app(RolesAllowedDynamicFeature.class));
        assertEquals(2, missThenHit("/api/beans/6"), "a dynamic feature may bind an authorization filter");
        assertHitsStayedInsideFor(RolesAllowedDynamicFeature.class.getName());
    }

    @Test
    void csrfProtectionFilterKeepsHitsInsideJersey() {
        start(app(CsrfProtectionFilter.class));
        assertEquals(2, missThenHit("/api/beans/7"));
        assertHitsStayedInsideFor(CsrfProtectionFilter.class.getName());
    }

    @Test
    void uriConnegFilterKeepsHitsInsideJersey() {
        start(app(new UriConnegFilter(Map.of("json", MediaType.APPLICATION_JSON_TYPE), Map.of())));
        assertEquals(2, missThenHit("/api/beans/8"), "it rewrites the path and the Accept header before matching");
        HttpResponse<String> byExtension = server.getText("/api/beans/8.json");
        assertEquals(200, byExtension.statusCode());
        assertEquals("HIT", cacheHeader(byExtension), "the rewritten request finds the method's entry");
    }

    @Test
    void corsResponseFilterKeepsHitsInsideJerseyAndItsHeadersOnEveryHit() {
        start(app(CorsFilter.class));
        assertEquals(2, missThenHit("/api/beans/9", "Origin", "https://app.example"));
        assertHitsStayedInsideFor(CorsFilter.class.getName());
        HttpResponse<String> hit = server.getText("/api/beans/9", "Origin", "https://app.example");
        assertEquals("HIT", cacheHeader(hit));
        assertEquals(List.of("https://app.example"), hit.headers().allValues("Access-Control-Allow-Origin"));
    }

    @Test
    void gzipEncodingFilterKeepsHitsInsideJerseyAndEachHitIsWhatJerseyWouldEncode() {
        ResourceConfig app = app();
        EncodingFilter.enableFor(app, GZipEncoder.class);
        start(app);
        int before = entries.count();
        HttpResponse<byte[]> miss = server.get("/api/beans/10", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> zipped = server.get("/api/beans/10", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> identity = server.get("/api/beans/10");
        assertEquals(3, entries.count() - before, "the encoder runs on every hit");
        assertHitsStayedInsideFor(EncodingFilter.class.getName(), GZipEncoder.class.getName());
        assertEquals("HIT", cacheHeader(zipped));
        assertEquals(miss.headers().allValues("Content-Encoding"), zipped.headers().allValues("Content-Encoding"));
        assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"));
        assertEquals(miss.headers().allValues("Vary"), zipped.headers().allValues("Vary"));
        assertEquals(FiltersAndEncodingReplayTest.gunzip(miss.body()),
                FiltersAndEncodingReplayTest.gunzip(zipped.body()));
        assertEquals(List.of(), identity.headers().allValues("Content-Encoding"));
        assertEquals(FiltersAndEncodingReplayTest.gunzip(miss.body()),
                new String(identity.body(), StandardCharsets.UTF_8));
    }

    /** Cached methods whose entity Jackson writes; one shared across users, which an authenticated request may hit. */
    @Path("beans")
    public static final class BeanResource {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Path("{id}")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public Bean bean(@jakarta.ws.rs.PathParam("id") String id) {
            return new Bean(id, calls.incrementAndGet());
        }

        @GET
        @Path("shared/{id}")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60, sharedAcrossUsers = true)
        public Bean shared(@jakarta.ws.rs.PathParam("id") String id) {
            return new Bean(id, calls.incrementAndGet());
        }
    }

    /** The entity, which Jackson writes (auto-discovered from the class path, as in an application carrying it). */
    public record Bean(String id, int call) {
    }

    /** A CORS filter as MicroProfile-style applications write one: it echoes the origin on every response. */
    public static final class CorsFilter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            String origin = request.getHeaderString("Origin");
            if (origin != null) {
                response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
            }
        }
    }
}
