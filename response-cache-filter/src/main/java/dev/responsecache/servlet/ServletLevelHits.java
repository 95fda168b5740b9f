package dev.responsecache.servlet;

import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SharedCache;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Answers a hit on a JAX-RS entry in the {@link RefreshRunner}, the filter the library puts first in every web
 * application, before the request enters the servlet that hosts the JAX-RS runtime: the early path of
 * {@link ResponseCacheFilter} ({@code earlyJaxrsHits}), turned on by the library itself where it can prove that
 * answering there skips nothing that answering before resource matching ({@code PreMatchingHits}) would not skip:
 * <ul>
 *   <li>the web application maps no servlet filter but the library's own (an authentication filter, a CORS filter,
 *       a compression filter would all be skipped): read from the context's filter registrations at first use and
 *       again at most once a second, since only a container's own API can add one after start;</li>
 *   <li>the request goes to a servlet whose JAX-RS runtime said, on an earlier request, that it runs no filter,
 *       interceptor or dynamic feature but the cache's own ({@link EarlyRoutes#SAFE_RUNTIME}), and said so on its
 *       latest request too;</li>
 *   <li>the path is a route that runtime stored an entry for, with the representation it negotiates for this
 *       {@code Accept}, and the request names no container session (a cookie or a path parameter could be one)
 *       unless the method's entries are shared across users: the rules of the pre-matching hit. The request here
 *       is the container's own, since no filter of the application runs in front: no request wrapper (Spring
 *       Session's, an API-key filter's) can carry a session or a user that the request does not show.</li>
 * </ul>
 * A hit is written as the early path writes it; anything else goes on into the chain, unchanged. Container security
 * constraints run before any filter, so they are never skipped.
 */
final class ServletLevelHits {

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The servlets (by name) whose JAX-RS runtime said it processes nothing but the cache's own. */
    private final Set<String> safeServlets = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoTime;
    private final FaultLog faults = new FaultLog("response cache hits in front of the JAX-RS runtime");
    private volatile ServletScope scope;
    private volatile boolean onlyOwnFilters;
    private volatile long filtersCheckedAt;
    private volatile boolean filtersChecked;

    ServletLevelHits(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Whether a request not answered here goes (and, with {@link #answered}, whether one may be answered here at all)
     * straight to a runtime that marked itself safe: a GET or HEAD of the REQUEST dispatch (the caller's to check),
     * mapped to such a runtime's {@code servlet}, in an application ({@code context}) that maps no servlet filter but
     * the library's runner, so that the request the runner hands the chain is the very one that runtime is given.
     * {@code servlet} is the name of the servlet the container mapped the request to ({@link #servletName}), read once
     * per request by the runner for this, {@link #answered} and {@link #learn}; null when not read.
     */
    boolean straightToRuntime(String servlet, ServletContext context) {
        return servlet != null && !safeServlets.isEmpty() && safeServlets.contains(servlet)
                && onlyOwnFilters(context);
    }

    /** Whether any runtime marked itself safe: without one, no request needs its servlet's name before the chain. */
    boolean knowsSafeRuntime() {
        return !safeServlets.isEmpty();
    }

    /**
     * Answers {@code request}, which goes {@link #straightToRuntime}, when it is a hit that may be answered here; false
     * when it must go on into the chain (nothing has been written then).
     */
    boolean answered(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Read through the lookup's view: on Jetty its headers are then read in one pass for the whole request.
        ServletRequestView view = new ServletRequestView(request);
        if (EarlyRoutes.leftToMatching(view.header("Content-Type"))) {
            return false;
        }
        if (view.header("Range") != null) {
            // The runtime's hit answers a range request with the whole 200 (it does not cut the replayed entity);
            // the replay here would cut it into a 206: it is left to the runtime, so that both answer alike.
            return false;
        }
        ResponseCache cache = SharedCache.current(scope);
        if (cache == null) {
            return false;
        }
        String path = request.getRequestURI();
        EarlyRoutes.Route route = cache.earlyRoutes().find(path);
        if (route == null) {
            return false;
        }
        if (route.policy().queryKeyedAsSent() && !QueryAsSent.spelledAsTheRuntimeSeesIt(request.getQueryString())) {
            // The method's entries are keyed on the runtime's re-encoded spelling: a lookup here would never find
            // them, and would cost a store read on every such request.
            return false;
        }
        // Only whether a Cookie line is there counts: the view's one pass tells it without another walk of the fields.
        if (!route.policy().sharedAcrossUsers() && EarlyRoutes.mayNameSession(view.header("Cookie"), path)) {
            return false;
        }
        String representation = route.representation().apply(view.header("Accept"));
        if (representation == null) {
            return false;
        }
        Lookup lookup = cache.peekCountedWhenWritten(route.policy(),
                view.representedAs(representation, route.keyedOnAccept(representation), route.negotiation()));
        if (!lookup.answered()) {
            return false;
        }
        if (ResponseCacheFilter.hitReplayed(lookup, response, cache.settings().statusHeader(), false, faults)) {
            return true;
        }
        request.setAttribute(EarlyRoutes.HIT_REFUSED, Boolean.TRUE);
        return false;
    }

    /**
     * After the request went through the chain: learns (or forgets) that the servlet it went to hosts a JAX-RS
     * runtime that processes nothing but the cache's own, as the runtime marked the request. {@code servlet} is the
     * servlet the request was mapped to, read before the chain: the container's own request keeps its mapping (a
     * forward or include dispatches a request of its own, and the mapping is restored when it returns).
     */
    void learn(HttpServletRequest request, String servlet) {
        if (servlet == null) {
            return;
        }
        // The mark names the servlet the runtime ran in; one in front that forwarded to the runtime is not it.
        if (servlet.equals(request.getAttribute(EarlyRoutes.SAFE_RUNTIME))) {
            if (!safeServlets.contains(servlet)) {
                if (scope == null) {
                    scope = new ServletScope(request.getServletContext());
                }
                safeServlets.add(servlet);
            }
        } else if (!safeServlets.isEmpty()) {
            // A runtime reloaded with a filter of its own, or a path of the servlet no runtime saw: conservative.
            safeServlets.remove(servlet);
        }
    }

    /** The servlet the container mapped this request to, which it knows before the filters run. */
    static String servletName(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping == null ? null : mapping.getServletName();
    }

    private boolean onlyOwnFilters(ServletContext context) {
        long now = nanoTime.getAsLong();
        if (!filtersChecked || now - filtersCheckedAt >= RECHECK_NANOS) {
            onlyOwnFilters = onlyOwnFiltersIn(context);
            filtersCheckedAt = now;
            filtersChecked = true;
        }
        return onlyOwnFilters;
    }

    /** Whether every filter the application registers is the library's {@link RefreshRunner}; false if unknown. */
    static boolean onlyOwnFiltersIn(ServletContext context) {
        Map<String, ? extends FilterRegistration> filters;
        try {
            filters = context.getFilterRegistrations();
        } catch (RuntimeException cannotSay) {
            return false;
        }
        for (Map.Entry<String, ? extends FilterRegistration> filter : filters.entrySet()) {
            if (!RefreshRunner.NAME.equals(filter.getKey())
                    || !RefreshRunner.class.getName().equals(filter.getValue().getClassName())) {
                return false;
            }
        }
        return true;
    }
}
