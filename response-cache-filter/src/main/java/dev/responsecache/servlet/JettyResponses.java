package dev.responsecache.servlet;

import dev.responsecache.spi.Header;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;

/**
 * Whether a hit's header lines can go straight into Jetty 12.1 ee10's own response fields ({@link JettyHitFields}),
 * decided without naming a Jetty type: on any other container, or where this class's loader does not see Jetty (a
 * web application on a Jetty that hides its server classes), the class is never found and Jetty's types are never
 * loaded. Only Jetty's own response qualifies: a response another filter wrapped may watch or change what is set on
 * it, so it gets the servlet API calls.
 */
final class JettyResponses {

    private static final Class<?> OWN_RESPONSE = ownResponseClass();
    private static final Class<?> OWN_REQUEST = OWN_RESPONSE == null ? null
            : ownClass("org.eclipse.jetty.ee10.servlet.ServletApiRequest");

    private JettyResponses() {
    }

    /**
     * Appends a hit's header lines, its {@code Vary} before the line at {@code varyAt}, and {@code Content-Length}
     * (none when negative) as the servlet API calls would; false, having set nothing, when the response is not Jetty's
     * own or already has a field of a name the hit sets (the servlet API then replaces or merges it as on any
     * container).
     */
    static boolean appended(HttpServletResponse response, String vary, int varyAt, List<Header> headers,
                            long contentLength) {
        return direct(response) && JettyHitFields.append(response, vary, varyAt, headers, contentLength);
    }

    /** Whether {@code response} is Jetty 12.1 ee10's own, unwrapped. */
    static boolean direct(HttpServletResponse response) {
        return OWN_RESPONSE != null && response.getClass() == OWN_RESPONSE;
    }

    /**
     * Whether {@code request} is Jetty 12.1 ee10's own, unwrapped: its headers can be read in one pass
     * ({@link JettyHitFields.RequestHeaders}). A request another filter wrapped may answer {@code getHeader} its own
     * way, so it is read through the servlet API.
     */
    static boolean directRequest(HttpServletRequest request) {
        return OWN_REQUEST != null && request.getClass() == OWN_REQUEST;
    }

    private static Class<?> ownClass(String name) {
        try {
            return Class.forName(name, false, JettyResponses.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError notJetty) {
            return null;
        }
    }

    private static Class<?> ownResponseClass() {
        Class<?> own = ownClass("org.eclipse.jetty.ee10.servlet.ServletApiResponse");
        try {
            // Only the release whose field handling JettyHitFields follows (12.1), linked against this loader's Jetty.
            return own != null && JettyHitFields.supported() ? own : null;
        } catch (LinkageError otherJetty) {
            return null;
        }
    }
}
