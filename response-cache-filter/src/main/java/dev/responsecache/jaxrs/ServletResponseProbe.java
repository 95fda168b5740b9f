package dev.responsecache.jaxrs;

import dev.responsecache.core.ErrorFallback;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Shows the servlet response to the cache ({@link ServletResponseView}). Runs just after the lookup, so on misses
 * only (a hit ends the request filters), and only for one that may be stored: it notes the servlet response as it is before the resource method runs,
 * and the cache compares before storing. What a servlet filter in front of the runtime (or a JAX-RS filter before
 * the lookup) set runs again on every hit and is left out of the entry, except a cookie: a cookie set for this
 * request (a CSRF token, a visitor id) may go with what the page embeds, so its response is never stored, as the
 * servlet filter refuses one. Outside a servlet container the runtime injects nothing (Jersey) or a proxy with
 * nothing behind it (RESTEasy), and the probe does nothing. A servlet response that cannot be read stores nothing.
 * Public only because RESTEasy constructs the providers registered by class; {@link CacheBinding} registers it.
 */
public final class ServletResponseProbe implements ContainerRequestFilter {

    private final FaultLog faults = new FaultLog("response cache (the servlet response, JAX-RS)");

    @Context
    private HttpServletResponse servletResponse;

    /**
     * Not for application use: public only because the cache registers this filter by class (so that the runtime
     * injects its {@code @Context} field) and RESTEasy constructs such a provider through a public constructor of
     * a public class.
     */
    public ServletResponseProbe() {
        // the runtime injects the @Context field
    }

    @Override
    public void filter(ContainerRequestContext request) {
        HttpServletResponse injected = servletResponse;
        if (injected == null || !CachingFilter.mayStore(request)) {
            return;
        }
        ServletResponseView view;
        try {
            if (RuntimeIntegration.standsInForNothing(HttpServletResponse.class, request)) {
                return;
            }
            HttpServletResponse servlet = RuntimeIntegration.unproxied(injected, HttpServletResponse.class);
            view = servlet == null ? unreadable(new IllegalStateException("the servlet response resolved to null"))
                    : new Noted(servlet, ErrorFallback.of(request.getProperty(ErrorFallback.ATTRIBUTE)), faults);
        } catch (RuntimeException unreadable) {
            view = unreadable(unreadable);
        }
        request.setProperty(ServletResponseView.PROPERTY, view);
    }

    private ServletResponseView unreadable(RuntimeException fault) {
        faults.failed(fault);
        return (jaxrsMayHaveWritten, runtimeVary) -> ServletResponseView.WRITTEN_OUTSIDE;
    }

    /** The servlet response as it was before the method ran, compared with it as it is. */
    static final class Noted implements ServletResponseView {
        private final HttpServletResponse response;
        /** The miss's stale-if-error fallback, or null: a stale answer at its deadline writes the servlet response. */
        private final ErrorFallback fallback;
        private final FaultLog faults;
        private final int status;
        private final List<String> lines;
        /** The trailer fields' supplier before the method ran (null: none). */
        private final Supplier<Map<String, String>> trailers;

        Noted(HttpServletResponse response, ErrorFallback fallback, FaultLog faults) {
            this.response = response;
            this.fallback = fallback;
            this.faults = faults;
            this.status = response.getStatus();
            this.lines = lines(response);
            this.trailers = response.getTrailerFields();
            faults.succeeded();
        }

        @Override
        public String outsideJaxrs(boolean jaxrsMayHaveWritten, List<String> runtimeVary) {
            try {
                Collection<String> cookies = response.getHeaders("Set-Cookie");
                if (cookies != null && !cookies.isEmpty()) {
                    return SET_COOKIE;
                }
                if (fallback != null && fallback.answeredStale()) {
                    // The servlet response holds the stale answer given at the method's deadline; what the method
                    // then set there went nowhere, and the library's filter in front says whether it set anything.
                    return fallback.discardedWrites() ? WRITTEN_OUTSIDE : null;
                }
                // Trailer fields go out after the body, which an entry cannot replay; the runtime never sets them.
                if (response.getTrailerFields() != trailers) {
                    return WRITTEN_OUTSIDE;
                }
                // Before the runtime writes its response, the servlet response is as the method found it unless
                // something wrote to it: a body (committed once flushed), a redirect or error (a status), a header.
                if (!jaxrsMayHaveWritten && (response.isCommitted() || response.getStatus() != status
                        || !lines.equals(ServletResponseView.withoutRuntimeVary(lines(response), runtimeVary)))) {
                    return WRITTEN_OUTSIDE;
                }
                return null;
            } catch (RuntimeException unreadable) {
                faults.failed(unreadable);
                return WRITTEN_OUTSIDE;
            }
        }

        /**
         * Every header field line, in the container's order, and what a container may keep apart from them (Tomcat
         * lists no {@code Content-Type} or {@code Content-Language} there): the content type, the character encoding
         * and the locale, which {@code setCharacterEncoding} and {@code setLocale} change.
         */
        private static List<String> lines(HttpServletResponse response) {
            List<String> lines = new ArrayList<>();
            lines.add("type " + response.getContentType());
            lines.add("charset " + response.getCharacterEncoding());
            lines.add("locale " + response.getLocale());
            for (String name : response.getHeaderNames()) {
                for (String value : response.getHeaders(name)) {
                    lines.add(name + ": " + value);
                }
            }
            return lines;
        }
    }
}
