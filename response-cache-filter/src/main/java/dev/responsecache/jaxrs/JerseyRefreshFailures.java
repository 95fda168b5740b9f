package dev.responsecache.jaxrs;

import jakarta.ws.rs.WebApplicationException;

import java.util.function.BooleanSupplier;

import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * On Jersey, an exception no {@code ExceptionMapper} handles in a refresh run inline ({@link InlineRefresh}): Jersey
 * hands it to its container, and no response filter tells it apart from a method's own 500 (Jersey's default mapper
 * answers it through them). Its request events do: at {@code FINISHED}, an exception that is no
 * {@code WebApplicationException} (whose status is an answer like any other) and that no mapper of the application
 * mapped. Registered only where no servlet filter in front runs refreshes (whose own failures it counts), and watching
 * a request only when a method of the application may refresh after a stale answer: a request Jersey monitors costs an
 * event built and delivered at each of its stages. Loaded only when Jersey is present.
 */
final class JerseyRefreshFailures implements ApplicationEventListener, RequestEventListener {

    /** Jersey's own mapper of last resort, which answers an unmapped exception with a 500 after the container has it. */
    private static final String JERSEYS_DEFAULT_MAPPER = "org.glassfish.jersey.server.DefaultExceptionMapper";

    private final BooleanSupplier refreshesBound;

    /** @param refreshesBound whether a cached method may refresh after a stale answer (known once bound) */
    JerseyRefreshFailures(BooleanSupplier refreshesBound) {
        this.refreshesBound = refreshesBound;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        // nothing: only requests are watched
    }

    @Override
    public RequestEventListener onRequest(RequestEvent start) {
        // Refreshes are of GET requests only, and only of methods that answer stale; every other request is left
        // unmonitored.
        return refreshesBound.getAsBoolean() && "GET".equals(start.getContainerRequest().getMethod()) ? this : null;
    }

    @Override
    public void onEvent(RequestEvent event) {
        if (event.getType() != RequestEvent.Type.FINISHED || event.getException() == null
                || !(event.getContainerRequest().getProperty(InlineRefresh.PROPERTY) instanceof InlineRefresh refresh)) {
            return;
        }
        Throwable failure = event.getException();
        Object mapper = event.getExceptionMapper();
        if (failure instanceof WebApplicationException
                || mapper != null && !JERSEYS_DEFAULT_MAPPER.equals(mapper.getClass().getName())) {
            return;
        }
        // Jersey wraps what a writer or an interceptor threw; the failure is what the application threw.
        refresh.failed(failure.getCause() != null && failure.getClass().getName().startsWith("org.glassfish.jersey.")
                ? failure.getCause() : failure);
    }
}
