package dev.responsecache.contract;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Embedded Tomcat 10.1 (Servlet 6.0). The application gets its own web application class loader, as a deployed WAR
 * does, so Tomcat's check for threads an application leaves running on stop applies: a leak reported then fails
 * {@link Deployed#close()}. A servlet that fails to start fails the deployment, with the errors Tomcat logged.
 */
public final class Tomcat10 implements Container {

    /** Where Tomcat reports what an application left behind when it stopped. */
    private static final String LEAK_LOGGER = "org.apache.catalina.loader.WebappClassLoaderBase";

    @Override
    // Context#addServletMappingDecoded is deprecated in later 10.1 releases, without a replacement on Context.
    @SuppressWarnings("deprecation")
    public Deployed deploy(WebApp app, JaxrsRuntime runtime) throws Exception {
        Path base = Files.createTempDirectory("tomcat");
        Path docBase = Files.createDirectories(base.resolve("webapp"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", docBase.toString());
        ((StandardContext) context).setFailCtxIfServletStartFails(true);
        app.contextParams().forEach(context::addParameter);
        Map<String, Object> attributes = app.attributes();
        context.addServletContainerInitializer((classes, servletContext) -> attributes.forEach(
                servletContext::setAttribute), null);
        if (app.scansInitializers()) {
            for (ServletContainerInitializer initializer : LibraryInitializers.found()) {
                context.addServletContainerInitializer(initializer, null);
            }
        }
        app.listeners().forEach(context::addApplicationListener);
        for (WebApp.FilterSpec spec : app.filters()) {
            FilterDef filter = new FilterDef();
            filter.setFilterName(spec.name());
            filter.setFilterClass(spec.className());
            filter.setAsyncSupported("true");
            spec.initParams().forEach(filter::addInitParameter);
            context.addFilterDef(filter);
            FilterMap mapping = new FilterMap();
            mapping.setFilterName(spec.name());
            mapping.addURLPattern(spec.urlPattern());
            context.addFilterMap(mapping);
        }
        Tomcat.addServlet(context, "reports", ReportServlet.class.getName());
        context.addServletMappingDecoded("/reports/*", "reports");
        for (WebApp.ServletSpec spec : app.servlets()) {
            Tomcat.addServlet(context, spec.name(), spec.className()).setAsyncSupported(true);
            context.addServletMappingDecoded(spec.urlPattern(), spec.name());
        }
        if (app.application() != null) {
            Wrapper jaxrs = Tomcat.addServlet(context, "api", runtime.servletClass());
            runtime.initParams(app.application()).forEach(jaxrs::addInitParameter);
            jaxrs.setLoadOnStartup(1);
            jaxrs.setAsyncSupported(true);
            context.addServletMappingDecoded("/api/*", "api");
        }
        Errors startErrors = Errors.of("org.apache.catalina", Level.SEVERE);
        try {
            tomcat.start();
        } finally {
            startErrors.close();
        }
        if (context.getState() != LifecycleState.STARTED) {
            IllegalStateException failure = new IllegalStateException("the application did not start");
            startErrors.thrown().forEach(failure::addSuppressed);
            stop(tomcat, base);
            throw failure;
        }
        URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        ServletContext servletContext = context.getServletContext();
        return new Deployed() {
            @Override
            public URI base() {
                return uri;
            }

            @Override
            public ServletContext servletContext() {
                return servletContext;
            }

            @Override
            public void close() {
                Errors leaks = Errors.of(LEAK_LOGGER, Level.WARNING);
                try {
                    stop(tomcat, base);
                } finally {
                    leaks.close();
                }
                if (!leaks.messages().isEmpty()) {
                    throw new AssertionError("Tomcat reports leaks on stop: " + leaks.messages());
                }
            }
        };
    }

    private static void stop(Tomcat tomcat, Path base) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (Exception e) {
            throw new IllegalStateException("Tomcat did not stop", e);
        }
        try (var files = Files.walk(base)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records logged at or above a level under one logger while open. */
    private static final class Errors extends Handler implements AutoCloseable {

        private final Logger logger;
        private final List<LogRecord> records = new ArrayList<>();

        private Errors(Logger logger, Level level) {
            this.logger = logger;
            setLevel(level);
        }

        static Errors of(String name, Level level) {
            Errors errors = new Errors(Logger.getLogger(name), level);
            errors.logger.addHandler(errors);
            return errors;
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (isLoggable(record)) {
                records.add(record);
            }
        }

        synchronized List<Throwable> thrown() {
            return records.stream().map(LogRecord::getThrown).filter(t -> t != null).toList();
        }

        synchronized List<String> messages() {
            return records.stream().map(record -> String.valueOf(record.getMessage())
                    + (record.getParameters() == null ? "" : " " + List.of(record.getParameters()))).toList();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
