package dev.responsecache.servlet;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;

/**
 * The request of a background refresh, whose servlet may forward through the request's dispatcher (a controller and
 * its JSP). The refresh runs after the client received its stale answer, into a {@link DetachedResponse} that stands
 * in for the container's response, which is sent and complete. Tomcat forwards through the response it is given (it
 * clears, checks and closes that one): the stand-in takes it all and the refresh is stored. Jetty 12 finds its own
 * response through the request (an attribute of it, or under its wrappers), whatever response it is given, and resets
 * it at a forward: the response already sent, which refuses ({@code IllegalStateException: Committed}). No stand-in
 * keeps it out of reach: the refresh must share the request's attributes, and a request Jetty cannot trace to its own
 * is refused by its dispatcher all the same. On any container but Tomcat the forward is therefore refused here,
 * before the container sees it, with {@link Refused}: that key's refresh is given up (the stale entry answers until
 * its window ends, then a request runs the servlet as a miss, where the forward is the container's as usual). The
 * dispatchers of the {@code ServletContext} (its config's, a named one) cannot be wrapped: Jetty refuses a forward
 * through them itself, and the forward is seen as Jetty looks its own request up through this one
 * ({@link #getAttribute}). Either refusal keeps the refresh from being stored, also when the servlet catches it and
 * answers otherwise, which it never does alone.
 */
final class RefreshForwards extends HttpServletRequestWrapper {

    /** Tomcat's response as its servlets get it: a forward with any wrapper around it goes through the wrappers. */
    private static final String TOMCAT_RESPONSE = "org.apache.catalina.connector.ResponseFacade";

    private final CapturingResponse clearing;
    private final Runnable refused;
    private final boolean forwardsThroughTheGivenResponse;

    /**
     * @param clearing the capture a forward clears as the container would ({@link CapturingResponse#forwarding()}),
     *                 or null when a wrapper inside this one does it ({@link AsyncAwareRequest})
     * @param refused  keeps the refresh from being stored once a forward is refused: a servlet that catches the
     *                 refusal and answers otherwise answers what it never sends alone
     * @param sent     the container's response, already sent to the client
     */
    RefreshForwards(HttpServletRequest request, CapturingResponse clearing, Runnable refused, ServletResponse sent) {
        super(request);
        this.clearing = clearing;
        this.refused = refused;
        this.forwardsThroughTheGivenResponse = ContainerObjects.response(sent).getClass().getName().equals(TOMCAT_RESPONSE);
    }

    /**
     * Jetty's dispatchers of the {@code ServletContext} (the servlet's config gives it, so the cache cannot wrap them;
     * a named one too) find Jetty's own request by this attribute before they reset its response, the one already
     * sent, which refuses ({@code IllegalStateException: Committed}). A servlet that catches that refusal and answers
     * otherwise would have that answer stored, where alone it forwards: seen here, as the container's forward asks
     * for it, the refresh is kept from being stored, and the container refuses the forward as it does.
     */
    @Override
    public Object getAttribute(String name) {
        if (!forwardsThroughTheGivenResponse && JettyForwards.isChannelAttribute(name)
                && JettyForwards.askedByAForward()) {
            refused.run();
        }
        return super.getAttribute(name);
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        RequestDispatcher dispatcher = super.getRequestDispatcher(path);
        return dispatcher == null ? null : new Guarded(dispatcher, path, this);
    }

    private record Guarded(RequestDispatcher dispatcher, String path, RefreshForwards request)
            implements RequestDispatcher {

        @Override
        public void forward(ServletRequest forwardedRequest, ServletResponse forwarded)
                throws ServletException, IOException {
            if (!request.forwardsThroughTheGivenResponse) {
                request.refused.run();
                throw new Refused(path);
            }
            CapturingResponse capture = request.clearing;
            if (capture != null && (forwarded == capture
                    || forwarded instanceof ServletResponseWrapper wrapper && wrapper.isWrapperFor(capture))) {
                capture.forwarding();
            }
            dispatcher.forward(forwardedRequest, forwarded);
        }

        /** An include writes into the response it is given on both containers, and resets nothing. */
        @Override
        public void include(ServletRequest includedRequest, ServletResponse included)
                throws ServletException, IOException {
            dispatcher.include(includedRequest, included);
        }
    }

    /** A forward a background refresh cannot make without the container touching the response already sent. */
    static final class Refused extends ServletException {
        private static final long serialVersionUID = 1L;

        Refused(String path) {
            super("a forward to " + path + " in a background refresh would reset the response already sent on this"
                    + " container: the refresh is given up, and the stale entry answers until its window ends");
        }
    }
}
