package dev.responsecache.contract;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

import java.net.URI;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 (ee10, Servlet 6.0). Jetty runs initializers only with its annotation scanning, which an embedded
 * {@code ServletContextHandler} lacks; a scanning deployment is imitated by running the library's initializers found
 * in {@code META-INF/services}, as the scan would.
 */
public final class JettyEe10 implements Container {

    @Override
    public Deployed deploy(WebApp app, JaxrsRuntime runtime) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        app.contextParams().forEach(context::setInitParameter);
        app.attributes().forEach(context::setAttribute);
        if (app.scansInitializers()) {
            for (ServletContainerInitializer initializer : LibraryInitializers.found()) {
                context.addServletContainerInitializer(initializer);
            }
        }
        for (String listener : app.listeners()) {
            context.addEventListener((java.util.EventListener) Class.forName(listener).getConstructor().newInstance());
        }
        for (WebApp.FilterSpec spec : app.filters()) {
            FilterHolder filter = new FilterHolder();
            filter.setName(spec.name());
            filter.setClassName(spec.className());
            filter.setInitParameters(spec.initParams());
            filter.setAsyncSupported(true);
            context.addFilter(filter, spec.urlPattern(), EnumSet.of(DispatcherType.REQUEST));
        }
        ServletHolder reports = new ServletHolder("reports", ReportServlet.class);
        context.addServlet(reports, "/reports/*");
        for (WebApp.ServletSpec spec : app.servlets()) {
            ServletHolder servlet = new ServletHolder();
            servlet.setName(spec.name());
            servlet.setClassName(spec.className());
            servlet.setAsyncSupported(true);
            context.addServlet(servlet, spec.urlPattern());
        }
        if (app.application() != null) {
            ServletHolder jaxrs = new ServletHolder();
            jaxrs.setName("api");
            jaxrs.setClassName(runtime.servletClass());
            jaxrs.setInitParameters(runtime.initParams(app.application()));
            jaxrs.setInitOrder(1);
            jaxrs.setAsyncSupported(true);
            context.addServlet(jaxrs, "/api/*");
        }
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        ServletContext servletContext = context.getServletContext();
        return new Deployed() {
            @Override
            public URI base() {
                return base;
            }

            @Override
            public ServletContext servletContext() {
                return servletContext;
            }

            @Override
            public void close() {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException("Jetty did not stop", e);
                }
            }
        };
    }
}
