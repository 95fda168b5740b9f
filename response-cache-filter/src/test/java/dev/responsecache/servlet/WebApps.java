package dev.responsecache.servlet;

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
}
