package dev.responsecache.jaxrs;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

import org.glassfish.grizzly.http.server.Request;

/**
 * Tells {@link PreMatchingHits} that Grizzly took a session id out of the request's path ({@code ;jsessionid=}) before
 * Jersey saw it: the request as Jersey has it then names no session, yet the method's own lookup, which asks Grizzly
 * ({@link GrizzlySessionProbe}), would bypass. Without this mark a member whose session is in the URL was answered the
 * entry shared by visitors without one. Registered only where Jersey's Grizzly container is present; on another
 * container Jersey binds no Grizzly request, and after its first request this does nothing. A Grizzly request that
 * cannot be read marks the request too (fails closed); it is not logged here: the request then goes on to the method's
 * lookup, whose probe reads the same request and logs the episode once.
 */
@PreMatching
final class GrizzlyPathSessions implements ContainerRequestFilter {

    /** Request property set when the request carries a session Grizzly read before Jersey, or may carry one. */
    static final String MARK = "dev.responsecache.early.grizzly-session";

    /** Set once another container answered a request: it binds no Grizzly request, now or later. */
    private volatile boolean elsewhere;

    /** Grizzly's request cannot be proxied, so Jersey binds it to singletons such as this only through a provider. */
    @Inject
    private Provider<Request> requests;

    GrizzlyPathSessions() {
        // Jersey injects the provider
    }

    @Override
    public void filter(ContainerRequestContext context) {
        if (elsewhere) {
            return;
        }
        String requested;
        try {
            Provider<Request> provider = requests;
            Request request = provider == null ? null : provider.get();
            if (request == null) {
                throw new IllegalStateException("Jersey's Grizzly container gave no Grizzly request");
            }
            requested = request.getRequestedSessionId();
        } catch (RuntimeException unreadable) {
            if (!GrizzlySessionProbe.answeredByGrizzly(context)) {
                elsewhere = true;
                return;
            }
            context.setProperty(MARK, Boolean.TRUE);
            return;
        }
        if (requested != null) {
            context.setProperty(MARK, Boolean.TRUE);
        }
    }
}
