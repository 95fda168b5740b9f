package dev.responsecache.servlet;

import dev.responsecache.core.CacheRequest;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.NegotiationDialect;

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/** A servlet request seen through the core's {@link CacheRequest}. */
final class ServletRequestView implements CacheRequest {

    private final HttpServletRequest request;
    /** The representation another adapter derived from the Accept header ({@link #representedAs}), or null. */
    private String derivedRepresentation;
    private boolean followsAccept = true;
    /** How the runtime behind reads the negotiation headers ({@link #representedAs}), or null. */
    private NegotiationDialect negotiation;
    private Map<String, String> pathParameters = Map.of();
    /** {@link #seenOrigin}, read once: a hit on an entry naming its host, or keyed on Host, asks for it again. */
    private String seenOrigin;
    private boolean seenOriginRead;
    /** Jetty's own request's headers read in one pass, at the first header asked about; null elsewhere. */
    private JettyHitFields.RequestHeaders jettyHeaders;
    private boolean jettyHeadersRead;

    /**
     * A view whose representation is the Accept header as sent, its lines told apart, until {@link #representedAs}
     * gives it another adapter's.
     */
    ServletRequestView(HttpServletRequest request) {
        this.request = request;
    }

    /**
     * This view with the representation another adapter derives from the Accept header (the early paths in front of
     * a JAX-RS runtime): they read the request's headers through this view before they know it, so that Jetty's are
     * read in one pass for the whole request.
     */
    ServletRequestView representedAs(String representation, boolean followsAccept, NegotiationDialect negotiation) {
        this.derivedRepresentation = representation;
        this.followsAccept = followsAccept;
        this.negotiation = negotiation;
        return this;
    }

    /** The dialect of the runtime behind an early path, as its route recorded it; null for the filter's own. */
    @Override
    public NegotiationDialect negotiation() {
        return negotiation;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        return request.getRequestURI();
    }

    @Override
    public String rawQuery() {
        return request.getQueryString();
    }

    @Override
    public String header(String name) {
        JettyHitFields.RequestHeaders jetty = jettyHeaders();
        return jetty != null ? jetty.joined(name) : joined(request, name);
    }

    @Override
    public boolean mayCarryAnyOf(List<String> names) {
        JettyHitFields.RequestHeaders jetty = jettyHeaders();
        return jetty == null || jetty.mayHaveAnyOf(names);
    }

    @Override
    public List<String> headerLines(String name) {
        JettyHitFields.RequestHeaders jetty = jettyHeaders();
        if (jetty != null) {
            return jetty.lines(name);
        }
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            // The usual case (an Accept with commas on one line): no list to grow.
            return List.of(first);
        }
        List<String> lines = new ArrayList<>(2);
        lines.add(first);
        lines.addAll(Collections.list(values));
        return lines;
    }

    /**
     * On Jetty's own request, its headers read once for the lookup's many names ({@link JettyHitFields}); null on any
     * other container or a wrapped request, read through the servlet API.
     */
    private JettyHitFields.RequestHeaders jettyHeaders() {
        if (!jettyHeadersRead) {
            jettyHeaders = JettyResponses.directRequest(request) ? JettyHitFields.RequestHeaders.of(request) : null;
            jettyHeadersRead = true;
        }
        return jettyHeaders;
    }

    /** Every value of a request header joined with {@code ","}, as JAX-RS joins them, or null. */
    static String joined(HttpServletRequest request, String name) {
        if (request.getHeader(name) == null) {
            // Most headers a hit asks about are absent (If-Match, X-Forwarded-Prefix...): Jetty makes a new
            // enumeration per getHeaders call, and getHeader finds absence without one.
            return null;
        }
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder joined = new StringBuilder(first);
        while (values.hasMoreElements()) {
            joined.append(',').append(values.nextElement());
        }
        return joined.toString();
    }

    /** The value of the first cookie of that name the container parsed, or null. */
    private String cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    /** The path parameters the filter's {@code tagPath} pattern found in this request. */
    ServletRequestView withPathParameters(Map<String, String> parameters) {
        this.pathParameters = parameters;
        return this;
    }

    @Override
    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    @Override
    public String principalName() {
        Principal principal = request.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    /**
     * A servlet declares nothing about what it produces, so whatever it negotiates can only depend on the Accept
     * header: that header, as sent, keys the representation (on several lines, not their lines joined: the servlet
     * API's {@code getHeader} reads the first line alone).
     */
    @Override
    public String representation() {
        return derivedRepresentation == null
                ? CacheRequest.acceptAsReceived(CacheRequest.compared(this, "Accept")) : derivedRepresentation;
    }

    @Override
    public boolean carriesSession() {
        return request.getRequestedSessionId() != null;
    }

    @Override
    public String sessionCookieName() {
        String name = sessionCookieName(request);
        return CacheRequest.sessionKeyingCookie(name, name == null ? null : cookie(name),
                request.getRequestedSessionId(), () -> requestedSessionValid(request));
    }

    /** Whether the requested session still exists; false when that cannot be read, so that the request bypasses. */
    private static boolean requestedSessionValid(HttpServletRequest request) {
        try {
            return request.isRequestedSessionIdValid();
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * The configured name; null when the context has no session configuration (Jetty without a session handler, where
     * a requested session can only be a filter's wrapper's, as Spring Session's, under a cookie of its own): no policy
     * keys on a cookie without a name, so such a session bypasses unless the entry is shared.
     */
    static String sessionCookieName(HttpServletRequest request) {
        SessionCookieConfig config = request.getServletContext().getSessionCookieConfig();
        if (config == null) {
            return null;
        }
        String name = config.getName();
        return name == null ? "JSESSIONID" : name;
    }

    /**
     * Whether the application created a session while answering, or changed its id ({@code changeSessionId}, as
     * session-fixation protection does at login): its cookie is the container's, not the cache's, and an entry keyed
     * on the id the request came with is not the session's.
     *
     * @param requestedId the requested session id as read before answering (a container may change it with the id)
     */
    static boolean createdSession(HttpServletRequest request, String requestedId) {
        HttpSession session = request.getSession(false);
        return session != null && (session.isNew() || !CacheRequest.requestedIdNames(requestedId, session.getId()));
    }

    @Override
    public String hostName() {
        return request.getServerName();
    }

    @Override
    public String seenOrigin() {
        if (!seenOriginRead) {
            seenOrigin = CacheRequest.origin(request.getScheme(), request.getServerName(), request.getServerPort());
            seenOriginRead = true;
        }
        return seenOrigin;
    }

    @Override
    public boolean representationFollowsAccept() {
        return followsAccept;
    }

    /**
     * A peek here (the early path in front of a JAX-RS runtime) leaves its read for the runtime's lookup, which reads
     * it as a request property. Nothing in front of a servlet filter peeks, so this view never reads one.
     */
    @Override
    public void keepPeekedRead(Object read) {
        request.setAttribute(EarlyRoutes.PEEKED_READ, read);
    }

}
