package dev.responsecache.jaxrs;

import dev.responsecache.core.EarlyRoutes;

import jakarta.servlet.ServletConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;

/**
 * Tells {@link PreMatchingHits} the name of the servlet the runtime runs in, so that the mark it leaves for the
 * library's filter in front ({@link EarlyRoutes#SAFE_RUNTIME}) names that servlet, not whichever servlet the request
 * was first mapped to: a servlet that checks something in code and then forwards to the runtime must never be taken
 * for it. Only registered when the servlet API is present; outside a servlet container the runtime injects nothing
 * and the probe does nothing. Public only because RESTEasy constructs the providers registered by class.
 */
@PreMatching
public final class RuntimeServletProbe implements ContainerRequestFilter {

    @Context
    private ServletConfig servletConfig;

    /**
     * Not for application use: public only because the cache registers this filter by class (so that the runtime
     * injects its {@code @Context} field) and RESTEasy constructs such a provider through a public constructor of
     * a public class.
     */
    public RuntimeServletProbe() {
        // the runtime injects the @Context field
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ServletConfig config = servletConfig;
        if (config == null) {
            return;
        }
        String name;
        try {
            name = config.getServletName();
        } catch (RuntimeException notInAServletContainer) {
            return;
        }
        if (name != null) {
            request.setProperty(EarlyRoutes.RUNTIME_SERVLET, name);
        }
    }
}
