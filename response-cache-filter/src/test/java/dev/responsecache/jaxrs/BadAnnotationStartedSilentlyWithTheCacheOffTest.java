package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With {@code responsecache.enabled=false} the annotations were not read at all: a {@code ttl = 0}, an unknown
 * {@code varyBy} token or a tag naming no path parameter started silently, and failed the first start-up with the
 * cache on, in production. They are now checked with the cache off too and fail the start-up with the same message,
 * naming the method and the bad value, on Jersey with and without a servlet container (RESTEasy: the runtime-tests);
 * a good annotation still serves uncached, and warns of nothing. The servlet filter's init-params were checked with
 * the cache off already.
 */
class BadAnnotationStartedSilentlyWithTheCacheOffTest {

    static Stream<Class<?>> badResources() {
        return Stream.of(StartupValidationTest.ZeroTtl.class, StartupValidationTest.UnknownToken.class,
                StartupValidationTest.NegativeStaleIfError.class, StartupValidationTest.CachedPost.class,
                StartupValidationTest.UnknownTagParameter.class, StartupValidationTest.PathLikeTag.class,
                LongDeadline.class);
    }

    @ParameterizedTest
    @MethodSource("badResources")
    void badAnnotationFailsTheStartUpWithTheCacheOffAsWithItOn(Class<?> resource) {
        String on = JerseyStartup.error(new ResourceConfig(resource).register(ResponseCacheFeature.class)).getMessage();
        String off = JerseyStartup.error(new ResourceConfig(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.ENABLED, "false")).getMessage();
        assertEquals(on, off);
        assertTrue(off.startsWith(resource.getName() + "#"), off);
    }

    /** In a servlet container the feature joins the web application's cache, switched off by a context-param. */
    @ParameterizedTest
    @MethodSource("badResources")
    void badAnnotationFailsTheDeploymentWithTheCacheOffByContextParam(Class<?> resource) {
        String on = JerseyStartup.error(new ResourceConfig(resource).register(ResponseCacheFeature.class)).getMessage();
        String messages = JerseyOnJetty.messages(assertThrows(Exception.class,
                () -> JerseyOnJetty.start(new ResourceConfig(resource).register(ResponseCacheFeature.class),
                        Map.of(ResponseCacheProperties.ENABLED, "false")).close()));
        assertTrue(messages.contains(on), messages);
    }

    @Test
    void goodAnnotationWithTheCacheOffServesUncachedAndWarnsOfNothing() {
        ResourceConfig app = new ResourceConfig(ReadsATenantHeader.class).register(ResponseCacheFeature.class);
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = JerseyOnJetty.start(app, Map.of(ResponseCacheProperties.ENABLED, "false"))) {
            server.getText("/api/tenant", "X-Tenant", "a");
            HttpResponse<String> second = server.getText("/api/tenant", "X-Tenant", "a");
            assertEquals("tenant a", second.body());
            assertTrue(second.headers().firstValue("X-Cache").isEmpty(), second.headers().toString());
            // With the cache on, the unkeyed header is warned of; with it off, nothing is.
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING));
        }
    }

    /** The servlet filter's own settings (init-params) were, and are, checked with the cache off. */
    @Test
    void badFilterInitParamFailsTheDeploymentWithTheCacheOff() {
        Exception failure = assertThrows(Exception.class, () -> Container.JETTY.start(new ServletApp()
                .contextParam(ResponseCacheProperties.ENABLED, "false")
                .filter("reports", new ResponseCacheFilter(), "/*", "ttl", "0")
                .servlet("page", new HttpServlet() {
                    private static final long serialVersionUID = 1L;
                }, "/*")).close());
        String messages = JerseyOnJetty.messages(failure);
        assertTrue(messages.contains("ttl") && messages.contains("'0'"), messages);
    }

    /** A {@code staleIfErrorDeadline} past a day. */
    @Path("deadline")
    public static class LongDeadline {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleIfErrorDeadline = 90_000)
        public String get() {
            return "deadline";
        }
    }

    /** Reads a header its {@code varyBy} does not name: keyed on it, and warned of, with the cache on. */
    @Path("tenant")
    public static class ReadsATenantHeader {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60)
        public String get(@HeaderParam("X-Tenant") String tenant) {
            return "tenant " + tenant;
        }
    }
}
