package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * The container's session of a request, which JAX-RS does not show: a request carrying one is treated like one with
 * credentials, and a response that creates one is never stored (the container adds its cookie outside JAX-RS, so
 * the entry would hand every visitor the same session-bound content without the cookie). Found as a request property
 * set by {@link ServletSessionProbe} when the application runs in a servlet container, and by
 * {@link GrizzlySessionProbe} when Jersey runs on Grizzly without one.
 */
interface ContainerSession {

    String PROPERTY = "dev.responsecache.session";

    /** Whether the request named a session (a session cookie, or an id in the URL). */
    boolean carried();

    /** Whether the application created a session while answering. */
    boolean created();

    /** The name of the container's session cookie, or null when it cannot be known (no policy keys on it then). */
    String cookieName();

    /**
     * The request's session, or null outside a servlet container and Grizzly (and before matching): the request then
     * says whether it names one ({@link JaxrsRequest#carriesSession()}).
     */
    static ContainerSession of(ContainerRequestContext request) {
        return from(request.getProperty(PROPERTY));
    }

    /** The session from the value of the request property {@link #PROPERTY}. */
    static ContainerSession from(Object property) {
        return property instanceof ContainerSession session ? session : null;
    }
}
