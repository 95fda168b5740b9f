package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheHealthServlet;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.servlet.ResponseCachePurgeServlet;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.ServletApp;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bad setting on a real Jetty and a real Tomcat: the cache's message (the property, the value, where it was set) was
 * first seen inside the container's generic report of the component that failed ({@code unavailable} on Jetty, {@code
 * Allocate exception for servlet} or {@code A child container failed during start} on Tomcat), one or more causes down.
 * The cache now logs it at ERROR where it refuses it, before the container's report, without a stack trace of its own
 * (the container prints it), and once per application although two runtimes of one application refuse the same
 * value. The library's purge and health servlets' init-params alike.
 */
class BadSettingWasHiddenBehindTheContainersFailureTest {

    private static final String KEY = ResponseCacheProperties.MAX_BODY_SIZE;
    /** How the cache's line begins in the root web application, which both containers name {@code /}. */
    private static final String NOT_STARTED = "Response cache not started in application '/': ";
    private static final String REFUSED = "Invalid value for " + KEY + ": '12XB' (expected a size such as 1048576,"
            + " 512KB, 64MB or 1GB); set by the context-param " + KEY;

    @Path("page")
    public static class Page {
        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "page";
        }
    }

    @Path("page")
    public static class ZeroTtl {
        @GET
        @CacheResponse(ttl = 0)
        public String get() {
            return "page";
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void badSettingOfTheJaxrsFeatureIsTheFirstErrorLoggedAndOnlyOnce(Container container) {
        List<LogRecord> logged = deployAndAsk(container, new ServletApp()
                .contextParam(KEY, "12XB")
                .initializer(new ResponseCacheInitializer())
                .servlet("jersey", jersey(Page.class), "/api/*"), "/api/page");
        assertReportedFirstAndOnce(logged, NOT_STARTED + REFUSED);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void badSettingRefusedByTheFilterIsTheFirstErrorLoggedAndOnlyOnce(Container container) {
        List<LogRecord> logged = deployAndAsk(container, new ServletApp()
                .contextParam(KEY, "12XB")
                .initializer(new ResponseCacheInitializer())
                .filter("cache", new ResponseCacheFilter(), "/pages/*", "ttl", "60")
                .servlet("jersey", jersey(Page.class), "/api/*"), "/api/page");
        assertReportedFirstAndOnce(logged, NOT_STARTED + REFUSED);
    }

    /** Two runtimes of one application refuse the same value: one line says so. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void badSettingRefusedByTwoRuntimesOfOneApplicationIsLoggedOnce(Container container) {
        List<LogRecord> logged = deployAndAsk(container, new ServletApp()
                .contextParam(KEY, "12XB")
                .initializer(new ResponseCacheInitializer())
                .servlet("jersey", jersey(Page.class), "/api/*")
                .servlet("jersey-v2", jersey(Page.class), "/v2/*"), "/api/page", "/v2/page");
        assertReportedFirstAndOnce(logged, NOT_STARTED + REFUSED);
        long reports = logged.stream().filter(r -> refusalIn(r.getThrown())).map(LogRecord::getThrown)
                .distinct().count();
        assertTrue(reports >= 2, () -> "both runtimes failed, each reported by the container: " + describe(logged));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void badAnnotationIsTheFirstErrorLoggedAndOnlyOnce(Container container) {
        List<LogRecord> logged = deployAndAsk(container, new ServletApp()
                .initializer(new ResponseCacheInitializer())
                .servlet("jersey", jersey(ZeroTtl.class), "/api/*"), "/api/page");
        LogRecord ours = assertReportedFirstAndOnce(logged, NOT_STARTED);
        assertTrue(ours.getMessage().contains(ZeroTtl.class.getName() + "#get") && ours.getMessage().contains("ttl"),
                ours.getMessage());
    }

    /** The purge endpoint's own init-params, refused at its first request: the same line, before the container's. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void purgeServletWithoutTokenOrRoleIsTheFirstErrorLoggedAndOnlyOnce(Container container) {
        List<LogRecord> logged = deployAndAsk(container, new ServletApp()
                .initializer(new ResponseCacheInitializer())
                .servlet("purge", new ResponseCachePurgeServlet(), "/purge"), "/purge");
        assertReportedFirstAndOnce(logged, NOT_STARTED + "servlet 'purge': init-param token (at least");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void badHealthServletSettingIsTheFirstErrorLoggedAndOnlyOnce(Container container) {
        List<LogRecord> logged = deployAndAsk(container, new ServletApp()
                .initializer(new ResponseCacheInitializer())
                .servlet("health", new ResponseCacheHealthServlet(), "/health",
                        ResponseCacheHealthServlet.FAIL_WHEN_STORE_UNREACHABLE, "yes"), "/health");
        assertReportedFirstAndOnce(logged, NOT_STARTED + "Invalid value for "
                + ResponseCacheHealthServlet.FAIL_WHEN_STORE_UNREACHABLE + ": 'yes'");
    }

    private static ServletContainer jersey(Class<?> resource) {
        return new ServletContainer(new ResourceConfig(resource).register(ResponseCacheFeature.class));
    }

    /**
     * Everything logged at WARNING or above, by any logger, while {@code app} is deployed on {@code container} and
     * asked twice for each of the JAX-RS {@code pages} (a runtime's servlet starts at its first request, and on Tomcat
     * again at the next after it failed). A container whose start-up fails with the application is stopped as it is.
     */
    private static List<LogRecord> deployAndAsk(Container container, ServletApp app, String... pages) {
        try (LogCapture all = LogCapture.of("")) {
            Container.Running running;
            try {
                running = container.start(app);
            } catch (RuntimeException startUpFailed) {
                // Jetty fails the start-up of a context whose filter fails: what was logged is what counts here.
                return all.recordsAtLeast(Level.WARNING);
            }
            try (running) {
                for (String page : pages) {
                    for (int request = 0; request < 2; request++) {
                        int status = running.get(page).statusCode();
                        assertTrue(status >= 500 || status == 404, "the page was served: " + status);
                    }
                }
            }
            return all.recordsAtLeast(Level.WARNING);
        }
    }

    /**
     * The cache's record, starting with {@code message}: at ERROR (SEVERE), without a stack trace, before every record
     * that carries the refusal (the container's and the runtime's), logged once; and the container did report it.
     */
    private static LogRecord assertReportedFirstAndOnce(List<LogRecord> logged, String message) {
        List<LogRecord> ours = logged.stream()
                .filter(r -> r.getLoggerName().startsWith("dev.responsecache") && r.getMessage().startsWith(message))
                .toList();
        assertEquals(1, ours.size(), () -> "the cache's records: " + describe(logged));
        LogRecord record = ours.get(0);
        assertEquals(Level.SEVERE, record.getLevel());
        assertNull(record.getThrown(), "the container prints the stack trace, the cache the message");
        int first = logged.indexOf(record);
        int reports = 0;
        for (int i = 0; i < logged.size(); i++) {
            if (refusalIn(logged.get(i).getThrown())) {
                reports++;
                assertTrue(i > first, () -> "a report came before the cache's line: " + describe(logged));
            }
        }
        assertTrue(reports > 0, () -> "the container reported no failure: " + describe(logged));
        return record;
    }

    private static boolean refusalIn(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseCacheConfigException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(List<LogRecord> logged) {
        StringBuilder text = new StringBuilder();
        for (LogRecord record : logged) {
            text.append('\n').append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ")
                    .append(record.getMessage()).append(record.getThrown() == null ? "" : " / " + record.getThrown());
        }
        return text.toString();
    }
}
