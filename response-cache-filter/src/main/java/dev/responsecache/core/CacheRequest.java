package dev.responsecache.core;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The parts of an HTTP request the cache looks at. The JAX-RS filters and the servlet filter each adapt their own
 * request type to this view, so both share one set of rules.
 */
public interface CacheRequest {

    /**
     * The request headers that make a request conditional or partial (RFC 9110 13.1, 14.2), lower case: a request
     * carrying one may be answered 304, 412 or 206, none of which is the whole representation a cache stores.
     */
    Set<String> PRECONDITIONS_AND_RANGE = Set.of("if-none-match", "if-modified-since", "if-match",
            "if-unmodified-since", "if-range", "range");

    /** Whether this request carries one of {@link #PRECONDITIONS_AND_RANGE}. */
    default boolean conditionalOrRange() {
        for (String name : PRECONDITIONS_AND_RANGE) {
            if (header(name) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * How the JAX-RS runtime answering this request reads the headers {@code Request.selectVariant} negotiates by, or
     * null where no runtime negotiates (the servlet filter): a route whose stored responses vary on one of them is
     * answered from the entry only for requests the runtime reads ({@link NegotiationDialect#reads}).
     */
    default NegotiationDialect negotiation() {
        return null;
    }

    /**
     * Whether the runtime answering this request may cut its response into the range a {@code Range} asks for, where
     * an answer from the entry would be the whole one: RESTEasy cuts a method's {@code File} entity into a 206, and a
     * hit replays stored bytes, which no runtime cuts. A request with a {@code Range} is then left to the runtime
     * ({@link OriginPreconditions}). By default false: the servlet filter cuts ranges from the entry itself, and
     * Jersey cuts no entity.
     */
    default boolean runtimeCutsRanges() {
        return false;
    }

    /**
     * False when this request certainly carries a header of none of {@code names} (lower case); true when it may, and
     * each is then asked by {@link #header}. A hit asks about several headers nearly every request lacks (the
     * preconditions): an adapter that read its headers in one pass answers for them all at once. By default true.
     */
    default boolean mayCarryAnyOf(List<String> names) {
        return true;
    }

    /** The request method, upper case. */
    String method();

    /** The path as sent, still percent-encoded, including the context path. */
    String rawPath();

    /** The query string as sent, or null. */
    String rawQuery();

    /** Every value of a request header joined with {@code ","}, or null when absent; {@code name} in any case. */
    String header(String name);

    /**
     * Every line of a request header, in order, as received (empty when absent), for a header that {@link #header}
     * joined: the key and {@code Vary} matches tell one line from several. By default the joined value as one line;
     * an adapter whose request keeps the lines apart returns them.
     */
    default List<String> headerLines(String name) {
        String value = header(name);
        return value == null ? List.of() : List.of(value);
    }

    /** The authenticated user's name, or null for an anonymous request. */
    String principalName();

    /**
     * The representation the response will have, so that JSON and XML of one URL never share an entry: the
     * negotiated media type when the endpoint declares what it produces, otherwise the request's Accept header.
     */
    String representation();

    /**
     * Whether {@link #representation()} follows the {@code Accept} header (rather than being the one type an
     * endpoint produces, asked for without parameters), so that the response must tell downstream caches it varies
     * on {@code Accept}.
     */
    default boolean representationFollowsAccept() {
        return true;
    }

    /**
     * The host name the application sees the request addressed to (from which it builds absolute URIs), or null.
     * By default the {@code Host} header without its port.
     */
    default String hostName() {
        return hostOf(header("Host"));
    }

    /**
     * The scheme, host and port the runtime saw the request addressed to, from which the application builds absolute
     * URIs (the servlet request's URL, {@code UriInfo}'s request URI), as {@link #origin} writes them: on HTTP/2 its
     * {@code :authority}, on HTTP/1.1 an absolute-form request target's authority or else {@code Host}, {@code https}
     * over TLS; none of which the {@code Host} header alone tells. Empty for a request addressed to no host (an
     * in-memory request without an authority), which no other request is. Null when not known (by default): an entry
     * that names the request's host is then never matched, and {@code Host} is keyed as sent. An implementation must
     * override it, or every entry naming its host misses.
     */
    default String seenOrigin() {
        return null;
    }

    /**
     * {@code scheme://host:port} as {@link #seenOrigin} compares it, or null without a scheme or host: lower case,
     * an IPv6 literal in brackets whether or not it came in them, the scheme's default port written out (a servlet
     * container gives 80 where a URI omits it).
     *
     * @param port the port, or a negative number when the URI names none
     */
    static String origin(String scheme, String host, int port) {
        if (scheme == null || scheme.isEmpty() || host == null || host.isEmpty()) {
            return null;
        }
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String lowerHost = bare.toLowerCase(Locale.ROOT);
        int shown = port >= 0 ? port : "https".equals(lowerScheme) ? 443 : "http".equals(lowerScheme) ? 80 : -1;
        return lowerScheme + "://" + (lowerHost.indexOf(':') >= 0 ? "[" + lowerHost + "]" : lowerHost)
                + (shown >= 0 ? ":" + shown : "");
    }

    /** The value of a path parameter of the endpoint (for tag templates), or null when it has none of that name. */
    default String pathParameter(String name) {
        return null;
    }

    /** Whether the request carries a container session (a requested session id), like credentials. */
    default boolean carriesSession() {
        return false;
    }

    /**
     * The name of the cookie that named the request's session (the container's session cookie), or null when the
     * session did not come from it (an id in the URL, a filter's wrapper's own cookie or header) or its name is not
     * known: an entry keyed on the cookie ({@code varyBy = "cookie:JSESSIONID"}) is then not the session's own, so
     * the request bypasses unless the entry is shared. Asked only of a request that carries a session.
     */
    default String sessionCookieName() {
        return "JSESSIONID";
    }

    /**
     * Whether a request names a container session by itself, for an adapter that cannot ask the container: a cookie
     * named {@code cookieName} or a {@code ;jsessionid=} path parameter, in any case; with {@code cookieName} null
     * (not known), any cookie or path parameter (see {@link SessionRules}).
     */
    static boolean namesSession(String cookieHeader, String rawPath, String cookieName) {
        return SessionRules.named(cookieHeader, rawPath, cookieName);
    }

    /**
     * Whether {@code requestedId}, the session id a request came with, names the session whose id is now
     * {@code sessionId}: false once the id changed while answering ({@code changeSessionId}). The requested id may
     * carry the node's name after a dot where the session's does not (Jetty's {@code .node0}).
     */
    static boolean requestedIdNames(String requestedId, String sessionId) {
        return requestedId != null && sessionId != null && (requestedId.equals(sessionId)
                || requestedId.length() > sessionId.length() && requestedId.startsWith(sessionId)
                && requestedId.charAt(sessionId.length()) == '.');
    }

    /**
     * {@code cookieName} when an entry keyed on that cookie is the request's session's own, else null (no policy then
     * keys on it, and the session bypasses unless the entry is shared). Only when the cookie is what named the session
     * ({@code cookieValue} is the requested id: a filter's request wrapper may carry a session of its own, as Spring
     * Session's under its own cookie or a header, and an entry keyed on an absent cookie is everyone's), and only
     * while that session exists ({@code stillValid}, asked last: an ended session's cookie keeps coming while the
     * application answers as to a stranger).
     */
    static String sessionKeyingCookie(String cookieName, String cookieValue, String requestedId,
                                      BooleanSupplier stillValid) {
        return cookieName != null && requestedId != null && requestedId.equals(cookieValue)
                && stillValid.getAsBoolean() ? cookieName : null;
    }

    /**
     * Whether a request names its session by the cookie {@code cookieName} alone, unambiguously: that cookie is sent
     * exactly once (any case) and no {@code ;jsessionid=} (or {@code ;cookieName=}) path parameter names another.
     * For an adapter that cannot ask the container which id it took: servers differ on which of two such cookies
     * wins (Grizzly takes the first, Jersey's cookie parser the last), and an entry keyed on the other is a stranger's.
     */
    static boolean namesSessionByCookieOnly(String cookieHeader, String rawPath, String cookieName) {
        return SessionRules.namedByCookieOnly(cookieHeader, rawPath, cookieName);
    }

    /**
     * The store read of a component in front that looked this request up without answering it ({@link
     * ResponseCache#peek}), kept by {@link #keepPeekedRead}; null when there is none. The lookup behind it takes that
     * read as its own, so a miss reads the store once.
     */
    default Object peekedRead() {
        return null;
    }

    /** Keeps a peek's store read on the request for the lookup behind it (null: forgets it); by default nowhere. */
    default void keepPeekedRead(Object read) {
    }

    private static String hostOf(String host) {
        if (host == null) {
            return null;
        }
        int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        return end <= 0 ? host : host.substring(0, end);
    }

    /**
     * The representation of a JAX-RS request whose response may depend on its {@code Accept} header: the header as
     * sent, without the white space both runtimes skip in it ({@link AcceptText}: at either end, next to a comma,
     * after a semicolon; never inside a quoted value, whose spaces are part of it), {@code *}{@code /*} when absent,
     * which both runtimes read as {@code *}{@code /*}.
     */
    static String acceptAsSent(String accept) {
        // Lines told apart by compared() are kept as they are: white space is counted in their lengths.
        return accept == null ? "*/*" : accept.startsWith("\0") ? accept : AcceptText.keyed(accept);
    }

    /**
     * The representation of a servlet request: its {@code Accept} header exactly as {@link #compared} reads it (a
     * servlet reads the header's text itself, and may tell any two apart), or, when absent, a value no header equals
     * (the form {@link #compared} gives a header of no lines), since a servlet may tell an absent header from
     * {@code *}{@code /*} too.
     */
    static String acceptAsReceived(String compared) {
        return compared == null ? "\0" + "0" : compared;
    }

    /**
     * A request header's value as keys and {@code Vary} matches compare it: the value as sent on one line, or, sent
     * on several lines ({@link #headerLines}), a form that tells them apart and equals no one-line value.
     */
    static String compared(CacheRequest request, String name) {
        return KeyedValues.header(request, name);
    }
}
