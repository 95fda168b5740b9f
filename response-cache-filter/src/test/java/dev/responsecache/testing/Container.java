package dev.responsecache.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletRegistration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.apache.catalina.Context;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** The servlet containers the servlet filter and the JAX-RS feature are tested on, each embedded on port 0. */
public enum Container {

    JETTY {
        @Override
        public Running start(ServletApp app) {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            context.setContextPath("/");
            if (app.staticFiles != null) {
                context.setBaseResourceAsPath(app.staticFiles.toAbsolutePath());
                context.setWelcomeFiles(new String[] {"index.html"});
                context.addServlet(new ServletHolder("default", DefaultServlet.class), "/");
            }
            app.contextParams.forEach(context::setInitParameter);
            app.attributes.forEach(context::setAttribute);
            app.initializers.forEach(context::addServletContainerInitializer);
            for (ServletApp.FilterSpec spec : app.filters) {
                FilterHolder holder = new FilterHolder(spec.filter());
                holder.setName(spec.name());
                holder.setAsyncSupported(true);
                spec.params().forEach(holder::setInitParameter);
                context.addFilter(holder, spec.pattern(), EnumSet.of(DispatcherType.REQUEST));
            }
            for (ServletApp.ServletSpec spec : app.servlets) {
                ServletHolder holder = new ServletHolder(spec.name(), spec.servlet());
                holder.setAsyncSupported(true);
                spec.params().forEach(holder::setInitParameter);
                context.addServlet(holder, spec.pattern());
            }
            TestServer server = TestServer.of(context).start();
            return new Running(this, server.port(), server::close);
        }
    },

    TOMCAT {
        @Override
        public Running start(ServletApp app) {
            Path base;
            try {
                base = Files.createTempDirectory("tomcat");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(base.toString());
            tomcat.setHostname("127.0.0.1");
            tomcat.setPort(0);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            Context context = tomcat.addContext("",
                    app.staticFiles == null ? null : app.staticFiles.toAbsolutePath().toString());
            if (app.staticFiles != null) {
                context.addWelcomeFile("index.html");
                context.addMimeMapping("txt", "text/plain");
                context.addMimeMapping("html", "text/html");
            }
            // The tests' class path is one class loader that outlives every server: there is no web application's
            // memory to clear at stop, and the reflection Tomcat would use for it warns on every stop.
            StandardContext standard = (StandardContext) context;
            standard.setClearReferencesObjectStreamClassCaches(false);
            standard.setClearReferencesRmiTargets(false);
            standard.setClearReferencesThreadLocals(false);
            app.contextParams.forEach(context::addParameter);
            // Declared through the servlet API, as a web.xml or an annotation would, when the context starts.
            ServletContainerInitializer deployment = (classes, servletContext) -> {
                app.attributes.forEach(servletContext::setAttribute);
                if (app.staticFiles != null) {
                    servletContext.addServlet("default", new org.apache.catalina.servlets.DefaultServlet())
                            .addMapping("/");
                }
                for (ServletApp.FilterSpec spec : app.filters) {
                    FilterRegistration.Dynamic filter = servletContext.addFilter(spec.name(), spec.filter());
                    filter.setAsyncSupported(true);
                    filter.setInitParameters(spec.params());
                    filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, spec.pattern());
                }
                for (ServletApp.ServletSpec spec : app.servlets) {
                    ServletRegistration.Dynamic servlet = servletContext.addServlet(spec.name(), spec.servlet());
                    servlet.setAsyncSupported(true);
                    servlet.setInitParameters(spec.params());
                    servlet.addMapping(spec.pattern());
                }
            };
            for (ServletContainerInitializer initializer : app.initializers) {
                context.addServletContainerInitializer(initializer, Set.of());
            }
            context.addServletContainerInitializer(deployment, Set.of());
            try {
                tomcat.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new Running(this, tomcat.getConnector().getLocalPort(), () -> {
                try {
                    tomcat.stop();
                    tomcat.destroy();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    };

    /** Deploys {@code app} and starts the container; close the result to stop it. */
    public abstract Running start(ServletApp app);

    /** A started container, called with a real HTTP client. */
    public static final class Running implements AutoCloseable {

        private final Container container;
        private final int port;
        private final Runnable stop;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Running(Container container, int port, Runnable stop) {
            this.container = container;
            this.port = port;
            this.stop = stop;
        }

        public Container container() {
            return container;
        }

        public URI uri(String pathAndQuery) {
            return URI.create("http://127.0.0.1:" + port + pathAndQuery);
        }

        public HttpResponse<String> get(String pathAndQuery, String... headers) {
            return send(pathAndQuery, HttpResponse.BodyHandlers.ofString(), headers);
        }

        /** The body as the bytes sent, for a charset the client would decode in its own way. */
        public HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) {
            return send(pathAndQuery, HttpResponse.BodyHandlers.ofByteArray(), headers);
        }

        private <T> HttpResponse<T> send(String pathAndQuery, HttpResponse.BodyHandler<T> body, String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
            if (headers.length > 0) {
                request.headers(headers);
            }
            try {
                return client.send(request.build(), body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            stop.run();
        }
    }
}
