package dev.responsecache.jaxrs;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;

/**
 * Shows the servlet container's session to the cache ({@link ContainerSession}); runs just before the lookup. Only
 * registered when the servlet API is present; outside a servlet container the runtime injects nothing and the probe
 * does nothing. Public only because RESTEasy constructs the providers registered by class;
 * {@link ResponseCacheFeature} registers it, applications never.
 */
public final class ServletSessionProbe implements ContainerRequestFilter {

    /** The class whose presence means the application may run in a servlet container. */
    static final String SERVLET_REQUEST = "jakarta.servlet.http.HttpServletRequest";

    @Context
    private HttpServletRequest servletRequest;

    /**
     * Not for application use: public only because the cache registers this filter by class (so that the runtime
     * injects its {@code @Context} field) and RESTEasy constructs such a provider through a public constructor of
     * a public class.
     */
    public ServletSessionProbe() {
        // the runtime injects the @Context field
    }

    @Override
    public void filter(ContainerRequestContext request) {
        HttpServletRequest injected = servletRequest;
        if (injected == null) {
            return;
        }
        HttpServletRequest servlet;
        try {
            // Resolved once: the session checks later in the request then call the request itself (see
            // RuntimeIntegration.unproxied).
            servlet = RuntimeIntegration.unproxied(injected, HttpServletRequest.class);
            if (servlet == null) {
                return;
            }
            servlet.getMethod();
        } catch (RuntimeException notInAServletContainer) {
            return;
        }
        request.setProperty(ContainerSession.PROPERTY, new Session(servlet));
    }

    static boolean available() {
        try {
            Class.forName(SERVLET_REQUEST, false, ServletSessionProbe.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** The request the session is read from: the container's own, never a proxy resolving it per call. */
    record Session(HttpServletRequest request) implements ContainerSession {
        @Override
        public boolean carried() {
            return request.getRequestedSessionId() != null;
        }

        @Override
        public boolean created() {
            HttpSession session = request.getSession(false);
            return session != null && session.isNew();
        }

        @Override
        public String cookieName() {
            String name = request.getServletContext().getSessionCookieConfig().getName();
            return name == null ? "JSESSIONID" : name;
        }
    }
}
