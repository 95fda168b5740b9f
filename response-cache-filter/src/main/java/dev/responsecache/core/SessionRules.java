package dev.responsecache.core;

/**
 * A request that carries a container session (a session cookie, or an id in the URL) may get a page personalised
 * from that session, which the principal and the {@code Authorization} header do not show: it is treated like a
 * request with credentials. It shares entries only when the policy says how: the response is declared
 * {@code sharedAcrossUsers}, or the entry is keyed on the authenticated user (and there is one), or on the session
 * cookie itself ({@code cookie:JSESSIONID}).
 */
final class SessionRules {

    /** The name of the session id's path parameter unless a container is told otherwise (Jetty, Tomcat). */
    private static final String DEFAULT_PATH_PARAMETER = "jsessionid";

    private SessionRules() {
    }

    static boolean bypasses(CacheRequest request, CachePolicy policy) {
        // The policy first: a shared entry needs no look at the session (on JAX-RS that can mean reading headers).
        if (policy.sharedAcrossUsers() || !request.carriesSession()) {
            return false;
        }
        if (policy.keyedOnUser() && request.principalName() != null) {
            return false;
        }
        return !policy.varyBy().contains(new VaryToken.Cookie(request.sessionCookieName()));
    }

    /**
     * Whether a request names a container session by itself, read as containers read one: a cookie named
     * {@code cookieName}, or a path parameter named {@code jsessionid} or {@code cookieName} (Tomcat names it after
     * the cookie), in any case (Jetty matches the cookie's name so). For an adapter that cannot ask the container:
     * it errs towards a session. {@link EarlyRoutes#mayNameSession} rules most requests out first, at no cost, and
     * is the answer when the cookie's name is not known (null): any cookie or path parameter may then be the session.
     */
    static boolean named(String cookieHeader, String rawPath, String cookieName) {
        String path = rawPath == null ? "" : rawPath;
        if (!EarlyRoutes.mayNameSession(cookieHeader, path)) {
            return false;
        }
        if (cookieName == null) {
            return true;
        }
        return cookieHeader != null && namesCookie(cookieHeader, cookieName)
                || namesPathParameter(path, DEFAULT_PATH_PARAMETER) || namesPathParameter(path, cookieName);
    }

    /** See {@link CacheRequest#namesSessionByCookieOnly}. */
    static boolean namedByCookieOnly(String cookieHeader, String rawPath, String cookieName) {
        String path = rawPath == null ? "" : rawPath;
        return cookieHeader != null && cookieCount(cookieHeader, cookieName, 2) == 1
                && !namesPathParameter(path, DEFAULT_PATH_PARAMETER) && !namesPathParameter(path, cookieName);
    }

    /** Whether a {@code Cookie} header (several joined with {@code ,}) has a cookie called {@code name}, any case. */
    private static boolean namesCookie(String header, String name) {
        return cookieCount(header, name, 1) > 0;
    }

    /** How many cookies called {@code name} (any case) a {@code Cookie} header has, counted up to {@code limit}. */
    private static int cookieCount(String header, String name, int limit) {
        int count = 0;
        int length = header.length();
        int start = 0;
        while (start < length) {
            while (start < length && (header.charAt(start) == ' ' || header.charAt(start) == '\t')) {
                start++;
            }
            int end = start + name.length();
            if (end < length && header.regionMatches(true, start, name, 0, name.length())
                    && equalsFollows(header, end) && ++count >= limit) {
                return count;
            }
            int next = nextPair(header, start);
            if (next < 0) {
                return count;
            }
            start = next + 1;
        }
        return count;
    }

    /** Whether the name that ends at {@code end} is followed by {@code =} (spaces allowed before it). */
    private static boolean equalsFollows(String header, int end) {
        for (int i = end; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '=') {
                return true;
            }
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return false;
    }

    /** The index of the {@code ;} or {@code ,} that ends the pair starting at {@code from}, or -1. */
    private static int nextPair(String header, int from) {
        for (int i = from; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == ';' || c == ',') {
                return i;
            }
        }
        return -1;
    }

    /** Whether a segment of the path carries {@code ;name=}, any case. */
    private static boolean namesPathParameter(String rawPath, String name) {
        for (int semicolon = rawPath.indexOf(';'); semicolon >= 0; semicolon = rawPath.indexOf(';', semicolon + 1)) {
            int end = semicolon + 1 + name.length();
            if (end < rawPath.length() && rawPath.charAt(end) == '='
                    && rawPath.regionMatches(true, semicolon + 1, name, 0, name.length())) {
                return true;
            }
        }
        return false;
    }
}
