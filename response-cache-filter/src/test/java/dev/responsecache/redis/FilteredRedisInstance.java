package dev.responsecache.redis;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * One instance of a cluster in the Redis tests: the servlet filter caching a servlet on Redis, configured by
 * context-params as a web.xml would, patient with a loaded machine (long coalescing wait, slow-call and read bounds).
 */
final class FilteredRedisInstance {

    /** The servlet's own work: the number of its run, once it may go on. */
    interface Run {
        int pass() throws InterruptedException;
    }

    private FilteredRedisInstance() {
    }

    /**
     * Starts it: the servlet at {@code label}'s path ({@code /label/*}) answers {@code "label <uri> run n on name"}.
     *
     * @param context extra context attributes (the clock), may be empty
     * @param filter  the filter's init-params
     */
    static TestServer start(String redisUri, String prefix, String label, String name, Run run,
                            Map<String, Object> context, Map<String, String> filter) {
        TestServer server = TestServer.servlets();
        ServletContextHandler application = server.context();
        context.forEach(application::setAttribute);
        application.setInitParameter(ResponseCacheProperties.STORE, "redis");
        application.setInitParameter(ResponseCacheProperties.REDIS_URI, redisUri);
        application.setInitParameter(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        application.setInitParameter(ResponseCacheProperties.COALESCE_WAIT, "120s");
        application.setInitParameter(ResponseCacheProperties.REDIS_SLOW_CALL, "30s");
        application.setInitParameter(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        application.addServlet(new ServletHolder(label, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                int n;
                try {
                    n = run.pass();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                response.setContentType("text/plain");
                response.getWriter().write(label + " " + request.getRequestURI() + " run " + n + " on " + name);
            }
        }), "/" + label + "/*");
        FilterHolder holder = new FilterHolder(new ResponseCacheFilter());
        filter.forEach(holder::setInitParameter);
        application.addFilter(holder, "/" + label + "/*", EnumSet.of(DispatcherType.REQUEST));
        server.start();
        return server;
    }
}
