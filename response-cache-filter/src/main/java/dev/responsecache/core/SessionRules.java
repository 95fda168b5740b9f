package dev.responsecache.core;

/**
 * A request that carries a container session (a session cookie, or an id in the URL) may get a page personalised
 * from that session, which the principal and the {@code Authorization} header do not show: it is treated like a
 * request with credentials. It shares entries only when the policy says how: the response is declared
 * {@code sharedAcrossUsers}, or the entry is keyed on the authenticated user (and there is one), or on the session
 * cookie itself ({@code cookie:JSESSIONID}).
 */
final class SessionRules {

    private SessionRules() {
    }

    static boolean bypasses(CacheRequest request, CachePolicy policy) {
        if (!request.carriesSession() || policy.sharedAcrossUsers()) {
            return false;
        }
        if (policy.keyedOnUser() && request.principalName() != null) {
            return false;
        }
        return !policy.varyBy().contains(new VaryToken.Cookie(request.sessionCookieName()));
    }
}
