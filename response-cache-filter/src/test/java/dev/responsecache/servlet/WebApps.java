package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.ApplicationScope;
import dev.responsecache.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.eclipse.jetty.ee10.webapp.WebAppContext;

/** Web applications deployed the way a container deploys them: a real Jetty reading a real {@code WEB-INF/web.xml}. */
final class WebApps {

    /**
     * The end of a web.xml ({@code </web-app>} included) adding a Jersey servlet at {@code /api/*} with the JAX-RS
     * feature and {@code CountingResource}, whose init-param raises {@code max-body-size} to 512KB: a setting another
     * component adds to the cache the filter opened, so that the feature reopens it.
     */
    static final String JERSEY_SERVLET_RAISING_MAX_BODY_SIZE = """
              <servlet>
                <servlet-name>api</servlet-name>
                <servlet-class>org.glassfish.jersey.servlet.ServletContainer</servlet-class>
                <init-param><param-name>jersey.config.server.provider.classnames</param-name>
                  <param-value>dev.responsecache.jaxrs.ResponseCacheFeature,dev.responsecache.jaxrs.CountingResource</param-value></init-param>
                <init-param><param-name>responsecache.max-body-size</param-name><param-value>512KB</param-value></init-param>
                <load-on-startup>1</load-on-startup>
              </servlet>
              <servlet-mapping><servlet-name>api</servlet-name><url-pattern>/api/*</url-pattern></servlet-mapping>
            </web-app>""";

    private WebApps() {
    }

    /** The application under {@code src/test/resources/webapps/<name>}, its cache on {@code clock}. */
    static TestServer start(String name, Clock clock) {
        return start(Path.of("src/test/resources/webapps", name), clock);
    }

    static TestServer start(Path base, Clock clock) {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResourceAsPath(base.toAbsolutePath());
        // A deployment that fails must fail the start, as it would fail a deployment in production.
        webapp.setThrowUnavailableOnStartupException(true);
        if (clock != null) {
            webapp.setAttribute(ResponseCacheProperties.CLOCK, clock);
        }
        return TestServer.of(webapp).start();
    }

    /** A throw-away application whose web.xml is {@code webXml}. */
    static TestServer startWithWebXml(Path directory, String webXml) {
        try {
            Files.createDirectories(directory.resolve("WEB-INF"));
            Files.writeString(directory.resolve("WEB-INF/web.xml"), webXml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(directory, null);
    }

    /** The web application's servlet context, as the cache sees it. */
    static ApplicationScope scope(TestServer server) {
        return new ServletScope(server.context().getServletContext());
    }

    /** A minimal web.xml declaring one cache filter with the given init-params, in front of the report servlet. */
    static String filterWebXml(String... nameValuePairs) {
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            params.append("    <init-param><param-name>").append(nameValuePairs[i])
                    .append("</param-name><param-value>").append(nameValuePairs[i + 1])
                    .append("</param-value></init-param>\n");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter>
                    <filter-name>cache</filter-name>
                    <filter-class>dev.responsecache.servlet.ResponseCacheFilter</filter-class>
                %s  </filter>
                  <filter-mapping><filter-name>cache</filter-name><url-pattern>/reports/*</url-pattern></filter-mapping>
                  <servlet>
                    <servlet-name>reports</servlet-name>
                    <servlet-class>dev.responsecache.servlet.ReportServlet</servlet-class>
                  </servlet>
                  <servlet-mapping><servlet-name>reports</servlet-name><url-pattern>/reports/*</url-pattern></servlet-mapping>
                </web-app>
                """.formatted(params);
    }

    /**
     * Deploys {@code webXml} as a new application under {@code webapps} and asserts that the deployment failed with
     * every one of {@code fragments} somewhere in the failure's chain of causes.
     */
    static void assertDeploymentFails(Path webapps, String webXml, String... fragments) {
        Path directory = webapps.resolve("app" + System.nanoTime());
        Exception failure = assertThrows(Exception.class, () -> startWithWebXml(directory, webXml).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        for (String fragment : fragments) {
            assertTrue(messages.toString().contains(fragment), "'" + fragment + "' missing from: " + messages);
        }
    }
}
