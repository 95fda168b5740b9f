package dev.responsecache.jaxrs;

import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;

import java.util.function.Supplier;

/**
 * {@link PreMatchingHits} where the servlet API is present. The request as sent names no session (no cookie, no path
 * parameter) when this is asked, yet the servlet request the runtime was given may carry one: a servlet filter's
 * request wrapper answers {@code getRequestedSessionId()} for a session of its own (Spring Session's
 * {@code HeaderHttpSessionIdResolver}, an {@code X-Auth-Token} header). The method's own lookup asks that request after
 * matching ({@link ServletSessionProbe}), and would bypass; so the hit before matching asks it too, and leaves such a
 * request to that lookup. Asked once per hit that would otherwise be answered here. The user a wrapper logs in
 * needs nothing here: the runtime's security context reads the same request. The request resolved here is left to the
 * probe ({@link ServletSessionProbe#RESOLVED}): one resolution per request instead of two.
 */
@PreMatching
final class ServletPreMatchingHits extends PreMatchingHits {

    private final FaultLog faults = new FaultLog(
            "response cache (the servlet request's requested session id before matching, JAX-RS)");

    @Context
    private HttpServletRequest servletRequest;

    ServletPreMatchingHits(ResponseCache cache, Supplier<String> jerseyForeign) {
        super(cache, jerseyForeign);
    }

    /** False without a servlet request (outside a servlet container); true when it cannot be read: fails closed. */
    @Override
    boolean carriesSession(ContainerRequestContext request) {
        HttpServletRequest injected = servletRequest;
        if (injected == null) {
            // No servlet request (Jersey on Grizzly): what Grizzly read before the runtime, if anything.
            return super.carriesSession(request);
        }
        try {
            if (RuntimeIntegration.standsInForNothing(HttpServletRequest.class, request)) {
                return false;
            }
            // The very request the library's runner handed this runtime, when it did (RuntimeServletProbe); else
            // resolved here rather than called through the proxy: each call of an HK2 proxy resolves the request
            // again (a few microseconds), and the method's session probe, after matching, takes this resolution
            // instead of making its own.
            HttpServletRequest servlet = ServletSessionProbe.resolvedFor(request);
            if (servlet == null) {
                servlet = RuntimeIntegration.unproxied(injected, HttpServletRequest.class);
                if (servlet == null) {
                    throw new IllegalStateException("the runtime's servlet request resolved to null");
                }
                request.setProperty(ServletSessionProbe.RESOLVED, new ServletSessionProbe.Resolved(request, servlet));
            }
            boolean carried = servlet.getRequestedSessionId() != null;
            faults.succeeded();
            return carried;
        } catch (RuntimeException unreadable) {
            // The method's own lookup reads the request again, failing closed there as well.
            faults.failed(unreadable);
            return true;
        }
    }
}
