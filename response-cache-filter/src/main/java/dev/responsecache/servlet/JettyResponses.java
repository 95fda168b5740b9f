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
 * it, so it gets the servlet API calls. The library's own {@link ErrorReplacingResponse} in front of it (every GET of
 * a web application the initializer ran in) is passed by once it can no longer discard a write.
 */
final class JettyResponses {

    private static final Class<?> OWN_RESPONSE = ownResponseClass();
    private static final Class<?> OWN_REQUEST = OWN_RESPONSE == null ? null
            : ownClass("org.eclipse.jetty.ee10.servlet.ServletApiRequest");

    private JettyResponses() {
    }

    /**
     * Appends a hit's header lines, its {@code Vary} before the line at {@code varyAt}, and {@code Content-Length}
     * (none when negative) to {@code own}, a response {@link #fieldsOf} gave, as the servlet API calls would; false,
     * having set nothing, when it already has a field of a name the hit sets (the servlet API then replaces or merges
     * it as on any container).
     */
    static boolean appended(HttpServletResponse own, String vary, int varyAt, List<Header> headers,
                            long contentLength) {
        return JettyHitFields.append(own, vary, varyAt, headers, contentLength);
    }

    /**
     * Jetty's own response whose fields a hit's lines may go into ({@link #appended}) in place of the servlet API calls
     * on {@code response}, or null: {@code response} itself when it is Jetty's own, unwrapped; the one behind the
     * library's own {@link ErrorReplacingResponse} when nothing else wraps it and no deadline is armed on that
     * wrapper, which from then on passes every use on as it is ({@link ErrorReplacingResponse#passesEveryUseOn}).
     */
    static HttpServletResponse fieldsOf(HttpServletResponse response) {
        if (OWN_RESPONSE == null) {
            return null;
        }
        if (response.getClass() == OWN_RESPONSE) {
            return response;
        }
        // The wrapper's state is asked last: on any other response behind it, it is left as it is.
        if (response instanceof ErrorReplacingResponse guarded && guarded.getResponse().getClass() == OWN_RESPONSE
                && guarded.passesEveryUseOn()) {
            return (HttpServletResponse) guarded.getResponse();
        }
        return null;
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
