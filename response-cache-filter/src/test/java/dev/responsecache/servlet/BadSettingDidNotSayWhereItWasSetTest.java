package dev.responsecache.servlet;

import static dev.responsecache.servlet.WebApps.assertDeploymentFails;

import dev.responsecache.ResponseCacheProperties;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web application on Jetty, from a real {@code web.xml}: the failed deployment named the refused value and its
 * property but not where it was set, so a system property overriding a good context-param sent the operator to
 * web.xml. It now says which source the value came from.
 */
class BadSettingDidNotSayWhereItWasSetTest {

    private static final String KEY = ResponseCacheProperties.MAX_BODY_SIZE;

    @TempDir
    Path webapp;

    @Test
    void badContextParamIsNamedAsTheContextParam() {
        assertDeploymentFails(webapp, webXmlWithMaxBodySize("12XB"),
                "Invalid value for " + KEY + ": '12XB'", "; set by the context-param " + KEY);
    }

    @Test
    void systemPropertyOverridingAGoodContextParamIsNamedAsTheSystemProperty() {
        System.setProperty(KEY, "12XB");
        try {
            assertDeploymentFails(webapp, webXmlWithMaxBodySize("512KB"),
                    "Invalid value for " + KEY + ": '12XB'", "; set by the system property " + KEY);
        } finally {
            System.clearProperty(KEY);
        }
    }

    private static String webXmlWithMaxBodySize(String value) {
        return WebApps.filterWebXml("ttl", "60").replace("<filter>", "<context-param><param-name>" + KEY
                + "</param-name><param-value>" + value + "</param-value></context-param>\n  <filter>");
    }
}
