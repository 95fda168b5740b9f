package dev.responsecache.servlet;

import static dev.responsecache.servlet.WebApps.assertDeploymentFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.core.ApplicationScope;
import dev.responsecache.core.SharedCache;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration through web.xml: filter init-params, context-params, and the Jersey servlet's init-params. */
class WebXmlConfigurationTest {

    @TempDir
    Path webapp;

    @Test
    void filterAndJaxrsFeatureShareOneCacheConfiguredByContextParams() {
        ApplicationScope scope;
        Object shared;
        try (TestServer server = WebApps.start("shared", new MutableClock())) {
            scope = WebApps.scope(server);
            shared = scope.attribute(SharedCache.ATTRIBUTE);
            assertEquals(2, SharedCache.members(scope), "the filter and the Jersey feature use one cache");

            // Both read the context-param that names the status header: the feature is on the shared cache.
            HttpResponse<String> report = server.getText("/reports/page");
            assertEquals("MISS", report.headers().firstValue("X-Shared-Cache").orElseThrow());
            assertEquals("HIT", server.getText("/reports/page").headers().firstValue("X-Shared-Cache")
                    .orElseThrow());
            server.getText("/api/items/1");
            HttpResponse<String> item = server.getText("/api/items/1");
            assertEquals("HIT", item.headers().firstValue("X-Shared-Cache").orElseThrow());
            assertTrue(item.headers().firstValue("X-Cache").isEmpty());
            assertSame(shared, scope.attribute(SharedCache.ATTRIBUTE));
        }
        assertEquals(0, SharedCache.members(scope), "stopping the application closes the shared cache");
        assertNull(scope.attribute(SharedCache.ATTRIBUTE));
    }

    @Test
    void cachingFilterInFrontOfCachedJaxrsMethodsDoesNotWaitForItself() {
        try (TestServer server = WebApps.start("stacked", new MutableClock())) {
            // The filter leads the key, then Jersey's lookup meets the same key on the same request.
            HttpResponse<String> first = server.getText("/api/custom");
            assertEquals(203, first.statusCode());
            assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
            HttpResponse<String> second = server.getText("/api/custom");
            assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(first.body(), second.body());
        }
    }

    @Test
    void jerseyServletInitParamsReachTheJaxrsFeature() {
        try (TestServer server = WebApps.start("jersey", null)) {
            HttpResponse<String> first = server.getText("/api/items/7");
            HttpResponse<String> second = server.getText("/api/items/7");
            assertEquals("MISS", first.headers().firstValue("X-Api-Cache").orElseThrow());
            assertEquals("HIT", second.headers().firstValue("X-Api-Cache").orElseThrow());
            assertEquals(first.body(), second.body());
            // responsecache.max-body-size=16KB: a 70,000-byte body is never stored.
            server.get("/api/binary");
            assertEquals("MISS", server.get("/api/binary").headers().firstValue("X-Api-Cache").orElseThrow());
            assertEquals(1, SharedCache.members(WebApps.scope(server)));
        }
    }

    @Test
    void badJerseyInitParamFailsTheDeploymentNamingIt() throws Exception {
        String webXml = Files.readString(Path.of("src/test/resources/webapps/jersey/WEB-INF/web.xml"))
                .replace("<param-value>16KB</param-value>", "<param-value>lots</param-value>");
        assertDeploymentFails(webapp, webXml, "responsecache.max-body-size", "'lots'");
    }

    @Test
    void jerseyInitParamThatDisagreesWithTheSharedCacheFailsTheDeployment() throws Exception {
        String webXml = Files.readString(Path.of("src/test/resources/webapps/shared/WEB-INF/web.xml"))
                .replace("<load-on-startup>", "<init-param><param-name>responsecache.max-body-size</param-name>"
                        + "<param-value>16KB</param-value></init-param>\n    <load-on-startup>")
                .replace("<filter>", "<context-param><param-name>responsecache.max-body-size</param-name>"
                        + "<param-value>32KB</param-value></context-param>\n  <filter>");
        assertDeploymentFails(webapp, webXml, "responsecache.max-body-size is '16KB' here", "opened with '32KB'");
    }

    @Test
    void badFilterInitParamsFailTheDeploymentNamingFilterParamAndValue() {
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "soon"), "filter 'cache'", "ttl", "'soon'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "0"), "filter 'cache'", "ttl", "'0'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "header"), "filter 'cache'", "ttl", "'header'",
                "or headers");
        assertDeploymentFails(webapp, WebApps.filterWebXml(), "filter 'cache'", "ttl is required");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "varyBy", "header:Accept, locale"),
                "filter 'cache'", "varyBy", "'locale'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "statuses", "200,503"),
                "filter 'cache'", "503");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "statuses", "200,304"),
                "filter 'cache'", "statuses names 304");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "statuses", "ok"),
                "filter 'cache'", "statuses", "'ok'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "sharedAcrossUsers", "yes"),
                "filter 'cache'", "sharedAcrossUsers", "'yes'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "tll", "60"), "filter 'cache'", "'tll'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "staleWhileRevalidate", "-1"),
                "filter 'cache'", "staleWhileRevalidate", "'-1'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "staleIfError", "10m"),
                "filter 'cache'", "staleIfError", "'10m'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "staleIfError", "31536001"),
                "filter 'cache'", "staleIfError", "31536001");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "staleIfErrorDeadline", "2s"),
                "filter 'cache'", "staleIfErrorDeadline", "'2s'");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "staleIfErrorDeadline", "86401"),
                "filter 'cache'", "staleIfErrorDeadline", "86401");
    }

    /**
     * A web application whose JAX-RS servlet adds a setting to the cache the filter opened logged two "Response cache
     * on" lines, as if it had two caches: the second now says the cache was reopened, and what changed.
     */
    @Test
    void settingAddedByTheJaxrsServletLogsAReopenedLineNotASecondCacheOn() {
        String webXml = WebApps.filterWebXml("ttl", "60").replace("</web-app>", WebApps.JERSEY_SERVLET_RAISING_MAX_BODY_SIZE);
        Logger logger = Logger.getLogger("dev.responsecache");
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = WebApps.startWithWebXml(webapp.resolve("reopened"), webXml)) {
            assertEquals(200, server.getText("/api/items/1").statusCode());
            List<String> lines = log.messagesAtLeast(Level.INFO).stream()
                    .filter(line -> line.startsWith("Response cache ")).toList();
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(0).startsWith("Response cache on: "), lines.get(0));
            assertTrue(lines.get(1).startsWith("Response cache reopened for application '/' with settings another"
                    + " component added: responsecache.max-body-size default -> 512KB; now store=ehcache,"
                    + " max-body-size=524288 bytes"), lines.get(1));
        } finally {
            logger.setLevel(level);
        }
    }

    /** A misspelt init-param's message listed the known ones but, unlike a misspelt property's, suggested none. */
    @Test
    void misspeltInitParamSuggestsTheParamMeant() {
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "varyby", "header:Accept"), "filter 'cache'",
                "unknown init-param 'varyby'; did you mean 'varyBy'? (expected ttl, varyBy");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "tll", "60"),
                "unknown init-param 'tll'; did you mean 'ttl'?");
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "60", "cacheEverything", "true"),
                "unknown init-param 'cacheEverything' (expected ttl");
    }

    @Test
    void badContextParamFailsTheDeploymentNamingIt() {
        String webXml = WebApps.filterWebXml("ttl", "60").replace("<filter>",
                "<context-param><param-name>responsecache.store</param-name>"
                        + "<param-value>memcached</param-value></context-param>\n  <filter>");
        assertDeploymentFails(webapp, webXml, "responsecache.store", "'memcached'", "ehcache");
    }

    @Test
    void misspeltContextParamFailsTheDeploymentNamingItAndTheKeyMeant() {
        String webXml = WebApps.filterWebXml("ttl", "60").replace("<filter>",
                "<context-param><param-name>responsecache.max-body-sise</param-name>"
                        + "<param-value>16KB</param-value></context-param>\n  <filter>");
        assertDeploymentFails(webapp, webXml, "responsecache.max-body-sise", "context-params",
                "did you mean responsecache.max-body-size?");
    }

    @Test
    void misspeltJerseyInitParamFailsTheDeploymentNamingIt() throws Exception {
        String webXml = Files.readString(Path.of("src/test/resources/webapps/jersey/WEB-INF/web.xml"))
                .replace("<param-name>responsecache.max-body-size</param-name>",
                        "<param-name>responsecache.max-bodysize</param-name>");
        assertDeploymentFails(webapp, webXml, "responsecache.max-bodysize", "the application's properties",
                "did you mean responsecache.max-body-size?");
    }

    @Test
    void disabledCachePassesRequestsThroughButStillChecksInitParams() {
        String disabled = "<context-param><param-name>responsecache.enabled</param-name>"
                + "<param-value>false</param-value></context-param>\n  <filter>";
        try (TestServer server = WebApps.startWithWebXml(webapp.resolve("off"),
                WebApps.filterWebXml("ttl", "60").replace("<filter>", disabled))) {
            HttpResponse<String> response = server.getText("/reports/page");
            assertEquals("report /page call 1", response.body());
            assertTrue(response.headers().firstValue("X-Cache").isEmpty());
            assertEquals("report /page call 2", server.getText("/reports/page").body());
        }
        assertDeploymentFails(webapp, WebApps.filterWebXml("ttl", "never").replace("<filter>", disabled), "ttl", "'never'");
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
