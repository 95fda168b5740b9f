package dev.responsecache.jaxrs;

import dev.responsecache.core.CacheRequest;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Shows the servlet container's session to the cache ({@link ContainerSession}); runs just before the lookup. Only
 * registered when the servlet API is present; outside a servlet container the runtime injects nothing and the probe
 * does nothing ({@link JaxrsRequest} then judges the request itself). When the injected request cannot be read, the
 * cache fails closed ({@link Uninspected}) and logs once per episode. Public only because RESTEasy constructs the
 * providers registered by class; {@link ResponseCacheFeature} registers it, applications never.
 */
public final class ServletSessionProbe implements ContainerRequestFilter {

    /** The class whose presence means the application may run in a servlet container. */
    static final String SERVLET_REQUEST = "jakarta.servlet.http.HttpServletRequest";

    /** The default name of the session cookie (servlet containers, Grizzly). */
    static final String DEFAULT_COOKIE = "JSESSIONID";

    private final FaultLog faults = new FaultLog("response cache (the servlet request's session, JAX-RS)");

    @Context
    private HttpServletRequest servletRequest;
    /** Only read when the request cannot be: the session cookie's configured name. */
    @Context
    private ServletContext servletContext;

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
            if (servlet != null) {
                servlet.getMethod();
            }
        } catch (RuntimeException unreadable) {
            uninspected(request, unreadable);
            return;
        }
        if (servlet == null) {
            uninspected(request, new IllegalStateException("the runtime's servlet request resolved to null"));
            return;
        }
        faults.succeeded();
        request.setProperty(ContainerSession.PROPERTY, new Session(servlet, request, faults));
    }

    /**
     * A servlet request was injected but cannot be read: whether its session was requested, or created while
     * answering, cannot be known, so the request itself decides the first and the second is assumed.
     */
    private void uninspected(ContainerRequestContext request, RuntimeException fault) {
        faults.failed(fault);
        request.setProperty(ContainerSession.PROPERTY, new Uninspected(request, configuredCookieName()));
    }

    /** The name of the container's session cookie, or null when the servlet context cannot say either. */
    private String configuredCookieName() {
        ServletContext context = servletContext;
        if (context == null) {
            return null;
        }
        try {
            SessionCookieConfig config = context.getSessionCookieConfig();
            if (config == null) {
                return null;
            }
            String name = config.getName();
            return name == null ? DEFAULT_COOKIE : name;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    static boolean available() {
        try {
            Class.forName(SERVLET_REQUEST, false, ServletSessionProbe.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /**
     * The request the session is read from: the container's own, never a proxy resolving it per call. Should a read
     * fail later in the request, the cache fails closed as for a request it could not read at all.
     */
    record Session(HttpServletRequest request, ContainerRequestContext context, FaultLog faults)
            implements ContainerSession {
        @Override
        public boolean carried() {
            try {
                return request.getRequestedSessionId() != null;
            } catch (RuntimeException unreadable) {
                faults.failed(unreadable);
                return Uninspected.named(context, null);
            }
        }

        @Override
        public boolean created() {
            try {
                HttpSession session = request.getSession(false);
                return session != null && session.isNew();
            } catch (RuntimeException unreadable) {
                faults.failed(unreadable);
                return true;
            }
        }

        /** Null (no policy keys on it: the session bypasses unless shared) when the context cannot name it. */
        @Override
        public String cookieName() {
            SessionCookieConfig config;
            try {
                config = request.getServletContext().getSessionCookieConfig();
            } catch (RuntimeException unreadable) {
                faults.failed(unreadable);
                return null;
            }
            if (config == null) {
                // None without the container's session handler (Jetty): a session is then a filter's wrapper's.
                return null;
            }
            String name = config.getName();
            return name == null ? DEFAULT_COOKIE : name;
        }
    }

    /**
     * The session of a request whose servlet request cannot be read. It is carried when the request names one itself
     * (a cookie of the session cookie's name, any cookie when that name is unknown, or a {@code ;jsessionid=} path
     * parameter), and a response is taken to have created one, so that nothing is stored meanwhile: the container
     * adds a new session's cookie where the cache does not see it.
     */
    record Uninspected(ContainerRequestContext request, String cookieName) implements ContainerSession {
        @Override
        public boolean carried() {
            return named(request, cookieName);
        }

        @Override
        public boolean created() {
            return true;
        }

        static boolean named(ContainerRequestContext request, String cookieName) {
            return CacheRequest.namesSession(request.getHeaderString(HttpHeaders.COOKIE),
                    request.getUriInfo().getRequestUri().getRawPath(), cookieName);
        }
    }
}
