package dev.responsecache.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;

/**
 * The request of a missed request, so that an asynchronous servlet is cached too. {@code startAsync()} would hand
 * the servlet the unwrapped response, whose body the cache would never see; here it starts with the capturing
 * response instead, and the response is stored when it completes (never when it times out or fails).
 */
final class AsyncAwareRequest extends HttpServletRequestWrapper {

    /** What answers in place of an asynchronous cycle that timed out; true when it answered. */
    interface TimeoutAnswer {
        boolean answered() throws IOException;
    }

    private final CapturingResponse response;
    private final TimeoutAnswer onTimeout;
    private volatile boolean handedOver;

    AsyncAwareRequest(HttpServletRequest request, CapturingResponse response) {
        this(request, response, () -> false);
    }

    AsyncAwareRequest(HttpServletRequest request, CapturingResponse response, TimeoutAnswer onTimeout) {
        super(request);
        this.response = response;
        this.onTimeout = onTimeout;
    }

    /** Whether the servlet went asynchronous through this request, so that completion stores the response. */
    boolean handedOver() {
        return handedOver;
    }

    /**
     * A forward clears what the servlet wrote before it (Servlet 6.0 9.4). Tomcat does that through the response it is
     * given, this one's capture among its wrappers; Jetty clears its own buffer alone, so the body the capture held
     * went out in front of the forwarded page, and the entry was stored without it. The capture is cleared here, as
     * Tomcat would, before the container forwards.
     */
    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        RequestDispatcher dispatcher = super.getRequestDispatcher(path);
        return dispatcher == null ? null : new ForwardClearing(dispatcher, response);
    }

    /**
     * Jetty's dispatchers find Jetty's own request by this attribute at the start of a forward, before they clear
     * Jetty's response: the dispatchers of the {@code ServletContext} (the servlet's config gives it, so the cache
     * cannot wrap them; a named one) are seen here, as the request's are in {@link #getRequestDispatcher}. Jetty asks
     * for it at the end of every filter chain too: only a forward's request is acted on, and the stack is walked to
     * tell one only where a forward would clear something.
     */
    @Override
    public Object getAttribute(String name) {
        if (JettyForwards.isChannelAttribute(name) && response.forwardWouldClearSomething()
                && JettyForwards.askedByAForward()) {
            response.jettyForwarding();
        }
        return super.getAttribute(name);
    }

    private record ForwardClearing(RequestDispatcher dispatcher, CapturingResponse response)
            implements RequestDispatcher {

        @Override
        public void forward(ServletRequest request, ServletResponse forwarded) throws ServletException, IOException {
            if (forwarded == response
                    || forwarded instanceof ServletResponseWrapper wrapper && wrapper.isWrapperFor(response)) {
                response.forwarding();
            }
            dispatcher.forward(request, forwarded);
        }

        @Override
        public void include(ServletRequest request, ServletResponse included) throws ServletException, IOException {
            dispatcher.include(request, included);
        }
    }

    @Override
    public AsyncContext startAsync() {
        return listen(super.startAsync(this, response));
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
        AsyncContext async = super.startAsync(request, servletResponse);
        if (servletResponse != response && !(servletResponse instanceof HttpServletResponseWrapper wrapper
                && wrapper.isWrapperFor(response))) {
            // The servlet writes to a response that does not pass through the capture.
            response.refuse();
        }
        return listen(async);
    }

    private AsyncContext listen(AsyncContext async) {
        if (!handedOver) {
            handedOver = true;
            async.addListener(new Completion(response, onTimeout));
            try {
                response.stopHolding();
            } catch (IOException clientGone) {
                // The copy is dropped already; the servlet meets the failure at its next write.
                response.refuse();
            }
        }
        return async;
    }

    private record Completion(CapturingResponse response, TimeoutAnswer onTimeout) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) throws IOException {
            response.finish();
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            response.refuse();
            // Stale-if-error: the entry answers a cycle that never completed, as it answers a 504.
            if (onTimeout.answered()) {
                event.getAsyncContext().complete();
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            response.refuse();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A new asynchronous cycle drops its listeners: stay registered to store when it completes.
            event.getAsyncContext().addListener(this);
        }
    }
}
