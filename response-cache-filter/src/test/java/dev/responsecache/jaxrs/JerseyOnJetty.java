package dev.responsecache.jaxrs;

import dev.responsecache.testing.TestServer;

import java.util.Map;

import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;

/** Jersey on a real Jetty, started with the server as in a deployment, so that a bad setting fails the start. */
final class JerseyOnJetty {

    private JerseyOnJetty() {
    }

    /** Starts {@code app} under {@code /api} with the context-params given; throws what the start-up threw. */
    static TestServer start(ResourceConfig app, Map<String, String> contextParams) {
        TestServer server = TestServer.jersey(app);
        contextParams.forEach(server.context()::setInitParameter);
        for (ServletHolder holder : server.context().getServletHandler().getServlets()) {
            // Jersey configures the application, and so the cache, when its servlet starts rather than at the first
            // request.
            holder.setInitOrder(1);
        }
        return server.start();
    }

    /** Every message of a failure and its causes, one a line. */
    static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
