package dev.responsecache.jaxrs;

import dev.responsecache.core.CacheRequest;
import dev.responsecache.spi.FaultLog;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

import org.glassfish.grizzly.http.Cookie;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.spi.ContainerResponseWriter;

/**
 * Shows Grizzly's own session to the cache ({@link ContainerSession}) when Jersey runs on Grizzly without a servlet
 * container, as {@link ServletSessionProbe} shows a servlet container's; runs just before the lookup. Grizzly names a
 * session by a cookie of the name it is configured with ({@code JSESSIONID} unless its session manager or handler says
 * otherwise) or by a path parameter, writes a new session's cookie on its own response, where the cache does not see
 * it, and keeps an ended session's id coming in the browser's cookie. Registered only where Jersey's Grizzly container
 * is present ({@link RuntimeIntegration#jerseyOnGrizzly()}); on another container Jersey binds no Grizzly request, and
 * after its first request the probe does nothing. When Grizzly's request cannot be read (reading it throws, or Jersey's
 * Grizzly container gives none) the cache fails closed ({@link Unread}) and logs once per episode.
 */
final class GrizzlySessionProbe implements ContainerRequestFilter {

    /** Stands for "known to be none" in a field that keeps a read, whose null means "not read yet". */
    private static final String UNNAMED = new String("none");
    private static final String UNREAD = new String("unread");
    /** The package of Jersey's Grizzly container, whose response writer answers the requests it runs. */
    private static final String GRIZZLY_CONTAINER = "org.glassfish.jersey.grizzly2.httpserver.";

    private final FaultLog faults = new FaultLog("response cache (Grizzly's request, JAX-RS)");
    private final Reads reads = new Reads();
    /** Set once another container answered a request: it binds no Grizzly request, now or later. */
    private volatile boolean elsewhere;

    /** Grizzly's request cannot be proxied, so Jersey binds it to singletons such as this only through a provider. */
    @Inject
    private Provider<Request> requests;

    GrizzlySessionProbe() {
        // Jersey injects the provider
    }

    @Override
    public void filter(ContainerRequestContext context) {
        if (elsewhere) {
            return;
        }
        Request request;
        String requested;
        try {
            Provider<Request> provider = requests;
            request = provider == null ? null : provider.get();
            if (request == null) {
                throw new IllegalStateException("Jersey's Grizzly container gave no Grizzly request");
            }
            // Grizzly has read an id in the path by now; a cookie's id it reads only when the application asks for
            // the session, and the id it then keeps is a new session's once one is created.
            requested = request.getRequestedSessionId();
        } catch (RuntimeException unreadable) {
            if (!answeredByGrizzly(context)) {
                // Another container runs the application (Jersey binds no Grizzly request there): never asked again.
                elsewhere = true;
                return;
            }
            faults.failed(unreadable);
            context.setProperty(ContainerSession.PROPERTY, Unread.SESSION);
            return;
        }
        faults.succeeded();
        context.setProperty(ContainerSession.PROPERTY, new Session(request, requested, context, reads));
    }

    /**
     * Grizzly's own response to the request whose session {@code sessionProperty} holds, noted as it is before the
     * method runs ({@link GrizzlyResponseView}); null when the probe found no Grizzly request.
     */
    static ServletResponseView responseOf(Object sessionProperty) {
        return sessionProperty instanceof Session session ? GrizzlyResponseView.noted(session.request) : null;
    }

    /** Whether Jersey's Grizzly container writes this request's response: then it also bound Grizzly's request. */
    static boolean answeredByGrizzly(ContainerRequestContext context) {
        ContainerResponseWriter writer = context instanceof ContainerRequest jersey
                ? JerseyRefreshFailures.containers(jersey.getResponseWriter()) : null;
        return writer != null && writer.getClass().getName().startsWith(GRIZZLY_CONTAINER);
    }

    /**
     * The session's reads, one fault log each: a read that keeps failing is one episode, and the reads that work in
     * the same requests do not end it.
     */
    record Reads(FaultLog requested, FaultLog created, FaultLog cookieName, FaultLog valid) {
        Reads() {
            this(new FaultLog("response cache (Grizzly's requested session id, JAX-RS)"),
                    new FaultLog("response cache (Grizzly's new session, JAX-RS)"),
                    new FaultLog("response cache (Grizzly's session cookie name, JAX-RS)"),
                    new FaultLog("response cache (whether Grizzly's requested session is still valid, JAX-RS)"));
        }
    }

    /**
     * Grizzly's session of one request. Each read that fails fails closed: a session is taken to be carried, and
     * created, and keyed on no cookie.
     */
    static final class Session implements ContainerSession {
        private final Request request;
        /** Grizzly's requested id when the probe ran (an id from the path), or null. */
        private final String requestedAtStart;
        private final ContainerRequestContext context;
        private final Reads reads;
        /** The session cookie's configured name once read, {@link #UNREAD} when it cannot be. */
        private String cookieName;
        /** The requested id as Grizzly reads it, once read; {@link #UNNAMED} for none, {@link #UNREAD}. */
        private String requestedId;
        /** Once true, true for the rest of the request (a new session stays new), so never read again. */
        private boolean created;

        Session(Request request, String requestedAtStart, ContainerRequestContext context, Reads reads) {
            this.request = request;
            this.requestedAtStart = requestedAtStart;
            this.context = context;
            this.reads = reads;
        }

        /**
         * An id Grizzly took from the path, or a cookie of its session cookie's name in any case, or a path parameter
         * Grizzly leaves (another case of it): a server in front may read those as a servlet container does.
         */
        @Override
        public boolean carried() {
            return requestedAtStart != null
                    || CacheRequest.namesSession(context.getHeaderString(HttpHeaders.COOKIE), rawPath(), configured());
        }

        /**
         * Whether Grizzly gave the request a session while answering, or a new id to its session: its requested id is
         * then the new one, and its response carries the session's cookie, which the cache does not see. Any cookie
         * there was put on Grizzly's own response, not through JAX-RS, and would be missing from a hit.
         */
        @Override
        public boolean created() {
            if (created) {
                return true;
            }
            try {
                String before = requestedId();
                String now = request.getRequestedSessionId();
                created = before == UNREAD || now != null && !now.equals(before == UNNAMED ? null : before)
                        || request.getResponse().containsHeader(HttpHeaders.SET_COOKIE);
                reads.created().succeeded();
            } catch (RuntimeException unreadable) {
                reads.created().failed(unreadable);
                created = true;
            }
            return created;
        }

        /**
         * Grizzly's session cookie's name when that cookie alone named the session Grizzly keeps for the request,
         * and that session still exists; otherwise null, so that no policy keys on it. Of two such cookies Grizzly
         * takes the first and Jersey's cookies the last, and a stranger sending the last alone would get the member's
         * entry: a cookie sent twice (in any case) or beside an id in the path keys nothing.
         */
        @Override
        public String cookieName() {
            String name = configured();
            if (name == null || !CacheRequest.namesSessionByCookieOnly(context.getHeaderString(HttpHeaders.COOKIE),
                    rawPath(), name)) {
                return null;
            }
            jakarta.ws.rs.core.Cookie cookie = context.getCookies().get(name);
            String id = requestedId();
            return CacheRequest.sessionKeyingCookie(name, cookie == null ? null : cookie.getValue(),
                    id == UNNAMED || id == UNREAD ? null : id, () -> valid(id));
        }

        private String rawPath() {
            return context.getUriInfo().getRequestUri().getRawPath();
        }

        /** The name of Grizzly's session cookie, or null when it cannot be read (any cookie may then be it). */
        private String configured() {
            String name = cookieName;
            if (name == null) {
                try {
                    name = request.getSessionCookieName();
                    reads.cookieName().succeeded();
                } catch (RuntimeException unreadable) {
                    reads.cookieName().failed(unreadable);
                }
                name = name == null ? UNREAD : name;
                cookieName = name;
            }
            return name == UNREAD ? null : name;
        }

        /**
         * The id Grizzly reads as the request's session, as it reads it when the application asks: an id from the
         * path, else the first cookie of exactly the configured name.
         */
        private String requestedId() {
            String id = requestedId;
            if (id == null) {
                id = requestedAtStart;
                if (id == null) {
                    String name = configured();
                    id = name == null ? UNREAD : firstCookie(name);
                }
                requestedId = id;
            }
            return id;
        }

        private String firstCookie(String name) {
            if (context.getHeaderString(HttpHeaders.COOKIE) == null) {
                return UNNAMED;
            }
            try {
                Cookie[] cookies = request.getCookies();
                reads.requested().succeeded();
                for (Cookie cookie : cookies) {
                    if (name.equals(cookie.getName())) {
                        return cookie.getValue() == null ? UNNAMED : cookie.getValue();
                    }
                }
                return UNNAMED;
            } catch (RuntimeException unreadable) {
                reads.requested().failed(unreadable);
                return UNREAD;
            }
        }

        /**
         * Whether the requested session still exists: an ended one's cookie keeps coming while the application
         * answers as to a stranger. Grizzly looks a cookie's session up only when asked for it, so it is asked as the
         * application asks, which marks the session used, as the application's own call (and Jetty, on every request
         * naming a session) would.
         */
        private boolean valid(String id) {
            try {
                org.glassfish.grizzly.http.server.Session session = request.getSession(false);
                boolean valid = session != null && session.isValid() && id.equals(session.getIdInternal());
                reads.valid().succeeded();
                return valid;
            } catch (RuntimeException unreadable) {
                reads.valid().failed(unreadable);
                return false;
            }
        }
    }

    /** The session of a request whose Grizzly request cannot be read: carried, created, keyed on no cookie. */
    enum Unread implements ContainerSession {
        SESSION;

        @Override
        public boolean carried() {
            return true;
        }

        @Override
        public boolean created() {
            return true;
        }

        @Override
        public String cookieName() {
            return null;
        }
    }
}
