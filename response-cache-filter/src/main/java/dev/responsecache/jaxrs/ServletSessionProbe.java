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
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Shows the servlet container's session to the cache ({@link ContainerSession}); runs just before the lookup. Only
 * registered when the servlet API is present; outside a servlet container the runtime injects nothing (Jersey) or a
 * proxy with nothing behind it (RESTEasy), and the probe does nothing ({@link JaxrsRequest} then judges the request
 * itself). When the injected request cannot be read, the cache fails closed ({@link Uninspected}) and logs once per
 * episode. Public only because RESTEasy constructs the providers registered by class; {@link ResponseCacheFeature}
 * registers it, applications never.
 */
public final class ServletSessionProbe implements ContainerRequestFilter {

    /** The class whose presence means the application may run in a servlet container. */
    static final String SERVLET_REQUEST = "jakarta.servlet.http.HttpServletRequest";

    /**
     * The request property under which the hit before matching leaves the servlet request it resolved, or
     * {@link RuntimeServletProbe} the one the library's runner handed the runtime.
     */
    static final String RESOLVED = "dev.responsecache.servlet-request";

    /** The default name of the session cookie (servlet containers, Grizzly). */
    static final String DEFAULT_COOKIE = "JSESSIONID";

    /** Stands for "known to be none" in the fields that keep a read, whose null means "not read yet". */
    private static final String UNNAMED = new String("none");
    private static final String UNREAD = new String("unread");

    /** Resolving and reading the servlet request at all; the session's own reads have their own logs (Reads). */
    private final FaultLog faults = new FaultLog("response cache (the servlet request's session, JAX-RS)");
    private final Reads reads = new Reads();
    /** The servlet context's session cookie name, read once it can be (see {@link #readConfiguredCookieName}). */
    private final ReadUntilKnown contextCookieName = new ReadUntilKnown(this::readConfiguredCookieName,
            System::nanoTime);

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
            // No servlet request (Jersey on Grizzly): JaxrsRequest reads the request itself.
            return;
        }
        HttpServletRequest servlet;
        try {
            if (RuntimeIntegration.standsInForNothing(HttpServletRequest.class, request)) {
                // A proxy with no servlet request behind it (RESTEasy on Netty): JaxrsRequest reads the request.
                return;
            }
            // Resolved once: the session checks later in the request then call the request itself (see
            // RuntimeIntegration.unproxied). The hit before matching may have resolved it already: the same
            // request of the same runtime, whose resolution costs a few microseconds per miss.
            servlet = resolvedBefore(request);
            if (servlet == null) {
                servlet = RuntimeIntegration.unproxied(injected, HttpServletRequest.class);
            }
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
        request.setProperty(ContainerSession.PROPERTY, new Session(servlet, request, reads));
    }

    /**
     * The servlet request {@link ServletPreMatchingHits} resolved for this request, taken off the request (its
     * properties are the servlet request's attributes, which the application sees), or null.
     */
    private static HttpServletRequest resolvedBefore(ContainerRequestContext request) {
        if (!(request.getProperty(RESOLVED) instanceof Resolved resolved)) {
            return null;
        }
        request.removeProperty(RESOLVED);
        // Only this runtime's own request: one forwarded from another application carries that one's attribute.
        return resolved.request() == request ? resolved.servlet() : null;
    }

    /**
     * The servlet request resolved for {@code request} so far (by the hit before matching, or handed by the library's
     * runner: {@link RuntimeServletProbe}), left on it for this probe; null when none.
     */
    static HttpServletRequest resolvedFor(ContainerRequestContext request) {
        return request.getProperty(RESOLVED) instanceof Resolved resolved && resolved.request() == request
                ? resolved.servlet() : null;
    }

    /** The servlet request resolved for one request of the runtime ({@code request}). */
    record Resolved(ContainerRequestContext request, HttpServletRequest servlet) {
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
        return contextCookieName.get();
    }

    /**
     * Null when there is none (no servlet context, no session handler); throws when the context cannot be read now,
     * and is then tried again on a later request rather than taken as none for the application's life.
     */
    private String readConfiguredCookieName() {
        ServletContext context = servletContext;
        if (context == null) {
            return null;
        }
        SessionCookieConfig config = context.getSessionCookieConfig();
        return config == null ? null : configuredName(config);
    }

    /** The session cookie's configured name, the containers' default when none is set. */
    private static String configuredName(SessionCookieConfig config) {
        String name = config.getName();
        return name == null ? DEFAULT_COOKIE : name;
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
     * The session's reads, one fault log each: a read that keeps failing is one episode, and the reads that work in
     * the same requests do not end it (one log for all would say "recovered" and warn again on every request).
     */
    record Reads(FaultLog requested, FaultLog created, FaultLog cookieName, FaultLog valid) {
        Reads() {
            this(new FaultLog("response cache (the servlet request's requested session id, JAX-RS)"),
                    new FaultLog("response cache (the servlet request's new session, JAX-RS)"),
                    new FaultLog("response cache (the servlet context's session cookie name, JAX-RS)"),
                    new FaultLog("response cache (whether the requested session is still valid, JAX-RS)"));
        }
    }

    /**
     * The request the session is read from: the container's own, never a proxy resolving it per call. Each read
     * that fails fails closed: a session is taken to be carried, and created, and keyed on no cookie.
     */
    static final class Session implements ContainerSession {
        private final HttpServletRequest request;
        private final ContainerRequestContext context;
        private final Reads reads;
        /** The requested session id once read (a request asks more than once), {@link #UNNAMED} when it has none. */
        private String requestedId;
        /** Once true, true for the rest of the request (a new session stays new), so never read again. */
        private boolean created;

        Session(HttpServletRequest request, ContainerRequestContext context, Reads reads) {
            this.request = request;
            this.context = context;
            this.reads = reads;
        }

        HttpServletRequest request() {
            return request;
        }

        @Override
        public boolean carried() {
            return requestedId() != UNNAMED;
        }

        /** The requested session id; null when it cannot be read (a session is then assumed, of no known cookie). */
        private String requestedId() {
            String id = requestedId;
            if (id == null) {
                try {
                    String read = request.getRequestedSessionId();
                    reads.requested().succeeded();
                    id = read == null ? UNNAMED : read;
                } catch (RuntimeException unreadable) {
                    reads.requested().failed(unreadable);
                    id = UNREAD;
                }
                requestedId = id;
            }
            return id == UNREAD ? null : id;
        }

        @Override
        public boolean created() {
            if (created) {
                return true;
            }
            try {
                HttpSession session = request.getSession(false);
                // A session whose id changed while answering (changeSessionId, as session-fixation protection does
                // at login) is not new, yet its cookie is the container's, and an entry keyed on the old id is not
                // the new session's.
                created = session != null
                        && (session.isNew() || !CacheRequest.requestedIdNames(requestedId(), session.getId()));
                reads.created().succeeded();
            } catch (RuntimeException unreadable) {
                reads.created().failed(unreadable);
                created = true;
            }
            return created;
        }

        /**
         * The session cookie's name when the request's session is the one that cookie names; otherwise null, so that
         * no policy keys on it and the session bypasses unless shared: a filter's request wrapper may carry a
         * session of its own (Spring Session's, under its own cookie or a header) in a context whose container
         * names another cookie, and an entry keyed on that absent cookie would be everyone's.
         */
        @Override
        public String cookieName() {
            SessionCookieConfig config;
            try {
                config = request.getServletContext().getSessionCookieConfig();
                reads.cookieName().succeeded();
            } catch (RuntimeException unreadable) {
                reads.cookieName().failed(unreadable);
                return null;
            }
            if (config == null) {
                // None without the container's session handler (Jetty): a session is then a filter's wrapper's.
                return null;
            }
            String name = configuredName(config);
            Cookie cookie = context.getCookies().get(name);
            String id = requestedId();
            return CacheRequest.sessionKeyingCookie(name, cookie == null ? null : cookie.getValue(),
                    id == UNNAMED ? null : id, this::valid);
        }

        /**
         * Whether the requested session still exists: an ended one's cookie keeps coming (the browser still sends
         * it) while the application answers as to a stranger, so entries keyed on it are no longer its pages.
         */
        private boolean valid() {
            try {
                boolean valid = request.isRequestedSessionIdValid();
                reads.valid().succeeded();
                return valid;
            } catch (RuntimeException unreadable) {
                reads.valid().failed(unreadable);
                return false;
            }
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
