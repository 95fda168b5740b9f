package dev.responsecache.servlet;

/**
 * Whether a query string as the container hands it is spelled the way a JAX-RS runtime hands it to the method's own
 * lookup: Jersey percent-encodes what RFC 3986 does not allow in a query ({@code [ ] { } | ^ \} and the
 * backquote) before its {@code UriInfo} shows it, so a key built on the container's spelling would never find the
 * method's entries. A {@code %} without two hex digits after it counts too (such a query is not keyed anyway).
 */
final class QueryAsSent {

    private QueryAsSent() {
    }

    /** True for null and for a query of RFC 3986's query characters only ({@code pchar / "/" / "?"}). */
    static boolean spelledAsTheRuntimeSeesIt(String query) {
        if (query == null) {
            return true;
        }
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length() || !hex(query.charAt(i + 1)) || !hex(query.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!allowed(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
