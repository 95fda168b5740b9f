package dev.responsecache.jaxrs;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;

import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ContainerException;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.spi.ContainerResponseWriter;

/**
 * On Jersey, an exception no {@code ExceptionMapper} handles in a refresh run inline ({@link InlineRefresh}): Jersey
 * answers it with its default mapper's 500 through the response filters, which cannot tell it apart from a method's
 * own 500, but first passes it to its container through the request's {@link ContainerResponseWriter#failure}. So the
 * inline refresh's request alone gets this writer in front of the container's: every other request keeps the
 * container's writer, and nothing is watched (a request-event listener would have Jersey build events for every
 * request of the application). Jersey also reports there a response it failed to close, after its status and headers
 * went to the container (the default mapper's 500 that Grizzly refuses once the container answered the exception, a
 * client gone): not the refresh's failure, and not counted, nor anything after the first failure. A
 * {@code WebApplicationException} reaching it is an answer like any other (its status), not a failure. Loaded only
 * when Jersey is present.
 */
final class JerseyRefreshFailures implements ContainerResponseWriter {

    private final ContainerResponseWriter container;
    private final InlineRefresh refresh;
    /** A response went to the container, or a failure was counted: nothing after it is the method's failure. */
    private volatile boolean settled;

    private JerseyRefreshFailures(ContainerResponseWriter container, InlineRefresh refresh) {
        this.container = container;
        this.refresh = refresh;
    }

    /** Counts an exception of this request that Jersey passes to its container as {@code refresh}'s failure. */
    static void watch(ContainerRequestContext request, InlineRefresh refresh) {
        if (request instanceof ContainerRequest jersey && jersey.getResponseWriter() != null) {
            jersey.setWriter(new JerseyRefreshFailures(jersey.getResponseWriter(), refresh));
        }
    }

    /** The container's own writer behind {@code writer}, which may be an inline refresh's. */
    static ContainerResponseWriter containers(ContainerResponseWriter writer) {
        return writer instanceof JerseyRefreshFailures watched ? watched.container : writer;
    }

    @Override
    public void failure(Throwable error) {
        try {
            if (!settled && !(error instanceof WebApplicationException)) {
                settled = true;
                // Jersey wraps what a writer or an interceptor threw; the failure is what the application threw.
                boolean wrapped = error.getCause() != null
                        && error.getClass().getName().startsWith("org.glassfish.jersey.");
                refresh.failed(wrapped ? error.getCause() : error);
            }
        } finally {
            container.failure(error);
        }
    }

    @Override
    public OutputStream writeResponseStatusAndHeaders(long contentLength, ContainerResponse response)
            throws ContainerException {
        settled = true;
        return container.writeResponseStatusAndHeaders(contentLength, response);
    }

    @Override
    public boolean suspend(long timeOut, TimeUnit timeUnit, TimeoutHandler timeoutHandler) {
        boolean suspended = container.suspend(timeOut, timeUnit, timeoutHandler);
        if (suspended) {
            // A resume may never come: the refresh's claim stands no longer than the request's own timeout.
            refresh.suspended(timeOut, timeUnit);
        }
        return suspended;
    }

    @Override
    public void setSuspendTimeout(long timeOut, TimeUnit timeUnit) {
        container.setSuspendTimeout(timeOut, timeUnit);
        refresh.suspended(timeOut, timeUnit);
    }

    @Override
    public void commit() {
        container.commit();
    }

    @Override
    public boolean enableResponseBuffering() {
        return container.enableResponseBuffering();
    }
}
