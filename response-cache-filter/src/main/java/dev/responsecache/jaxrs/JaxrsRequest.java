package dev.responsecache.jaxrs;

import dev.responsecache.core.CacheRequest;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.NegotiationDialect;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;
import java.security.Principal;
import java.util.List;

/** A JAX-RS request seen through the core's {@link CacheRequest}. */
final class JaxrsRequest implements CacheRequest {

    /*
     * Request header names in lower case, as Jersey looks them up (it lower-cases the name it is given, and a name with
     * capitals costs a copy on every read, several per miss); any case reads the same header on every runtime.
     */
    static final String ACCEPT = "accept";
    static final String CONTENT_TYPE = "content-type";
    static final String COOKIE = "cookie";
    /** {@link dev.responsecache.core.Invalidations#METHOD_OVERRIDE}, read on every GET of a cached method. */
    static final String METHOD_OVERRIDE = "x-http-method-override";

    private final ContainerRequestContext context;
    private final URI uri;
    private final String representation;
    private final boolean followsAccept;
    /** {@link #seenOrigin}, read once: a hit on an entry naming its host, or keyed on Host, asks for it again. */
    private String seenOrigin;
    private boolean seenOriginRead;

    JaxrsRequest(ContainerRequestContext context, String representation, boolean followsAccept) {
        this.context = context;
        this.uri = context.getUriInfo().getRequestUri();
        this.representation = representation;
        this.followsAccept = followsAccept;
    }

    @Override
    public NegotiationDialect negotiation() {
        return RuntimeIntegration.negotiation(context);
    }

    /** RESTEasy cuts a {@code File} entity into the range asked for ({@code FileProvider}); Jersey cuts none. */
    @Override
    public boolean runtimeCutsRanges() {
        return negotiation() == NegotiationDialect.RESTEASY;
    }

    @Override
    public String method() {
        return context.getMethod();
    }

    @Override
    public String rawPath() {
        return uri.getRawPath();
    }

    @Override
    public String rawQuery() {
        return uri.getRawQuery();
    }

    @Override
    public String header(String name) {
        return context.getHeaderString(name);
    }

    @Override
    public List<String> headerLines(String name) {
        List<String> lines = context.getHeaders().get(name);
        return lines == null ? List.of() : lines;
    }

    @Override
    public String pathParameter(String name) {
        return context.getUriInfo().getPathParameters().getFirst(name);
    }

    @Override
    public String principalName() {
        SecurityContext security = context.getSecurityContext();
        Principal principal = security == null ? null : security.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    @Override
    public String representation() {
        return representation;
    }

    @Override
    public boolean carriesSession() {
        ContainerSession session = ContainerSession.of(context);
        if (session != null) {
            return session.carried();
        }
        // No servlet request to ask (a runtime outside a servlet container, or before matching): the request itself
        // says, as it would to a container, whose sessions are called JSESSIONID by default (Grizzly's too).
        return CacheRequest.namesSession(context.getHeaderString(COOKIE), uri.getRawPath(),
                CacheRequest.super.sessionCookieName());
    }

    @Override
    public String sessionCookieName() {
        ContainerSession session = ContainerSession.of(context);
        if (session != null) {
            return session.cookieName();
        }
        // Without a container to ask, an entry keyed on the cookie is the session's only when that cookie alone names
        // it: sent once, and no id in the path (a session named in the path alone would share the entry of every
        // request without the cookie; of two such cookies Grizzly takes the first as the session, Jersey keys on the
        // last, so a stranger sending the last one alone would get the member's page).
        String name = CacheRequest.super.sessionCookieName();
        String cookies = context.getHeaderString(COOKIE);
        return CacheRequest.namesSessionByCookieOnly(cookies, uri.getRawPath(), name) ? name : null;
    }

    @Override
    public String hostName() {
        return uri.getHost() != null ? uri.getHost() : registryHost(hostPort());
    }

    @Override
    public String seenOrigin() {
        if (!seenOriginRead) {
            seenOrigin = readSeenOrigin();
            seenOriginRead = true;
        }
        return seenOrigin;
    }

    private String readSeenOrigin() {
        if (uri.getHost() != null) {
            return CacheRequest.origin(uri.getScheme(), uri.getHost(), uri.getPort());
        }
        String hostPort = hostPort();
        if (hostPort == null) {
            // An in-memory request (RESTEasy's dispatcher) addressed to no host: nor can the application name one.
            return "";
        }
        String host = registryHost(hostPort);
        if (host == null || host.length() == hostPort.length()) {
            return CacheRequest.origin(uri.getScheme(), host, -1);
        }
        String port = hostPort.substring(host.length() + 1);
        // A port that is not one is kept out of every origin: the entry is never matched.
        return port.matches("[0-9]{1,5}") ? CacheRequest.origin(uri.getScheme(), host, Integer.parseInt(port)) : null;
    }

    /**
     * The request URI's authority without its user information: the runtime builds the URI from a host {@link URI}
     * may not read as a server's (a name with {@code _}, as a container's often has), and then gives no host.
     */
    private String hostPort() {
        String authority = uri.getRawAuthority();
        return authority == null ? null : authority.substring(authority.lastIndexOf('@') + 1);
    }

    /** The host of {@code host[:port]}, null when empty. */
    private static String registryHost(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        int end = hostPort.startsWith("[") ? hostPort.indexOf(']') + 1 : hostPort.lastIndexOf(':');
        String host = end <= 0 ? hostPort : hostPort.substring(0, end);
        return host.isEmpty() ? null : host;
    }

    @Override
    public boolean representationFollowsAccept() {
        return followsAccept;
    }

    @Override
    public Object peekedRead() {
        return context.getProperty(EarlyRoutes.PEEKED_READ);
    }

    @Override
    public void keepPeekedRead(Object read) {
        if (read == null) {
            context.removeProperty(EarlyRoutes.PEEKED_READ);
        } else {
            context.setProperty(EarlyRoutes.PEEKED_READ, read);
        }
    }
}
