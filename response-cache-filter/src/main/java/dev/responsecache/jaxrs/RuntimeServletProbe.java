package dev.responsecache.jaxrs;

import dev.responsecache.core.EarlyRoutes;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Tells {@link PreMatchingHits} the name of the servlet the runtime runs in, so that the mark it leaves for the
 * library's filter in front ({@link EarlyRoutes#SAFE_RUNTIME}) names that servlet, not whichever servlet the request
 * was first mapped to: a servlet that checks something in code and then forwards to the runtime must never be taken
 * for it. Only registered when the servlet API is present; outside a servlet container the runtime injects nothing
 * and the probe does nothing. It also takes the servlet request the library's runner in front handed this runtime
 * ({@link EarlyRoutes#RUNTIME_REQUEST}), for the session checks of the request to read instead of resolving the
 * runtime's injected one. Public only because RESTEasy constructs the providers registered by class.
 */
@PreMatching
public final class RuntimeServletProbe implements ContainerRequestFilter {

    /** The servlet classes that hand their runtime the very request they receive (Jersey's). */
    private static final Set<String> RUNTIME_SERVLETS = Set.of("org.glassfish.jersey.servlet.ServletContainer");

    /**
     * Configuration property: on Jersey, a check that the runtime injects its resources only the request Jersey's
     * servlet was given (no binding of the application's in its place: {@code JerseyProviders.onlyJerseysRequest}).
     */
    static final String ONLY_JERSEYS_REQUEST = "dev.responsecache.jaxrs.only-jerseys-request";

    @Context
    private ServletConfig servletConfig;
    @Context
    private Configuration configuration;
    /** The request the runtime injects (a resource's {@code @Context HttpServletRequest}): read once, see below. */
    @Context
    private HttpServletRequest injected;
    /** Whether {@link #servletConfig}'s servlet is one of {@link #RUNTIME_SERVLETS}; null until read. */
    private volatile Boolean plainRuntimeServlet;
    /**
     * Whether the runtime injects the very request it was given; null until the first handed request shows it (see
     * {@link #injectsTheHandedRequest}).
     */
    private volatile Boolean injectsGivenRequest;

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
        if (request.getProperty(EarlyRoutes.RUNTIME_REQUEST) instanceof EarlyRoutes.HandedRequest handOff
                && handOff.request() instanceof HttpServletRequest handed) {
            // Taken once, by the first runtime that sees it: one forwarded to by this one must not take it.
            request.removeProperty(EarlyRoutes.RUNTIME_REQUEST);
            if (handedToThisRuntime(handed, handOff.servlet(), config, name) && injectsTheHandedRequest(handed)) {
                request.setProperty(ServletSessionProbe.RESOLVED, new ServletSessionProbe.Resolved(request, handed));
            }
        }
    }

    /**
     * Whether the request the library's runner handed the chain ({@link EarlyRoutes#RUNTIME_REQUEST}) is the one this
     * runtime was given: it was mapped to this runtime's servlet, in this runtime's web application. The runner sets
     * it only when no servlet filter of the application sits in between; read through it, the session probe and the
     * hit before matching need not resolve the runtime's injected request. The servlet it was mapped to is the one
     * the runner read ({@code mappedTo}), not asked of the container again. A request that cannot tell is not taken.
     */
    private boolean handedToThisRuntime(HttpServletRequest handed, String mappedTo, ServletConfig config,
                                        String name) {
        try {
            return name != null && name.equals(mappedTo)
                    && handed.getServletContext() == config.getServletContext() && passesRequestsOn(name, config);
        } catch (RuntimeException cannotTell) {
            return false;
        }
    }

    /**
     * Whether the runtime injects its resources the request it was given, which the runner handed: an application may
     * bind a request of its own in its place (a binding of {@code HttpServletRequest} ranked above Jersey's, or
     * Jersey's request-scope initializer SPI, wrapping the request to carry a session of its own, perhaps only for
     * some requests), and the session checks must read the request the resource is given. Known once, at the first
     * request handed to this runtime: Jersey's bindings show that nothing but its own gives the request
     * ({@link #ONLY_JERSEYS_REQUEST}, which no other runtime sets), and the injected request, resolved as the probes
     * did before the hand-off, is the handed one. Either failing, the runtime is never handed a request again.
     */
    private boolean injectsTheHandedRequest(HttpServletRequest handed) {
        Boolean known = injectsGivenRequest;
        if (known == null) {
            HttpServletRequest resolved;
            try {
                if (!(configuration != null && configuration.getProperty(ONLY_JERSEYS_REQUEST)
                        instanceof BooleanSupplier onlyJerseys && onlyJerseys.getAsBoolean())) {
                    injectsGivenRequest = false;
                    return false;
                }
                resolved = RuntimeIntegration.unproxied(injected, HttpServletRequest.class);
            } catch (RuntimeException unresolvable) {
                // Not known yet: the session probe resolves it itself, and fails closed if it cannot.
                return false;
            }
            known = resolved == handed;
            injectsGivenRequest = known;
        }
        return known;
    }

    /**
     * Whether the servlet this runtime runs in is the runtime's own servlet class, which gives the runtime the request
     * it receives: a subclass may wrap it in code of its own (a session of its own, a user) before the runtime sees
     * it, and the request handed in front would then not be the runtime's. Read once (false when it cannot be).
     */
    private boolean passesRequestsOn(String name, ServletConfig config) {
        Boolean known = plainRuntimeServlet;
        if (known == null) {
            ServletRegistration registration = config.getServletContext().getServletRegistration(name);
            known = registration != null && RUNTIME_SERVLETS.contains(registration.getClassName());
            plainRuntimeServlet = known;
        }
        return known;
    }
}
