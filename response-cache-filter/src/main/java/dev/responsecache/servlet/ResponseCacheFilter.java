package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.CacheSettings;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.ErrorFallback;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.Header;
import dev.responsecache.core.Invalidations;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.RangeAnswer;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SelectionVary;
import dev.responsecache.core.SharedCache;
import dev.responsecache.core.UnknownProperties;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Caches the whole responses of the servlets (or JSPs, or anything else) it is mapped in front of, with the same
 * rules, keys and stores as {@link dev.responsecache.jaxrs.ResponseCacheFeature}. Configured in {@code web.xml}:
 * <pre>{@code
 * <filter>
 *   <filter-name>cache</filter-name>
 *   <filter-class>dev.responsecache.servlet.ResponseCacheFilter</filter-class>
 *   <init-param><param-name>ttl</param-name><param-value>60</param-value></init-param>
 *   <init-param><param-name>varyBy</param-name><param-value>header:Accept-Language</param-value></init-param>
 * </filter>
 * <filter-mapping><filter-name>cache</filter-name><url-pattern>/reports/*</url-pattern></filter-mapping>
 * }</pre>
 * Init-params mirror {@link dev.responsecache.annotation.CacheResponse}: {@code ttl} (seconds, required),
 * {@code varyBy} (comma-separated tokens), {@code statuses} (comma-separated) and {@code sharedAcrossUsers}. Store
 * settings ({@link dev.responsecache.ResponseCacheProperties}) are {@code <context-param>}s or system properties:
 * every filter and the JAX-RS feature of one web application share one cache and one store. A bad value fails the
 * deployment with a message naming the filter, the parameter and the value.
 *
 * <p>{@code ttl=headers} makes the filter an HTTP shared cache (RFC 9111): each response's own {@code Cache-Control},
 * {@code Expires} and {@code Age} say whether and how long it is stored, and a stale entry with a validator is
 * revalidated by passing the request down the chain with {@code If-None-Match}/{@code If-Modified-Since} added (a
 * 304 refreshes the entry and the stored body is sent).
 *
 * <p>Init-params {@code tags} and {@code tagPath} tag the entries for eviction (see docs/SERVLET.md). A POST, PUT,
 * PATCH or DELETE answered with a 2xx or 3xx evicts the entries of its path and of its same-origin {@code Location}
 * (unless {@code responsecache.invalidate-unsafe=false}); {@code PURGE} evicts one URL when
 * {@code responsecache.purge-token} or {@code purge-role} is set.
 *
 * <p>Only GET requests are stored; HEAD is answered from the GET entry. Map the filter after any filter that
 * authenticates or rejects requests, so that a stored response never reaches a request the application refuses.
 */
public final class ResponseCacheFilter implements Filter {

    /** Marks a request one cache filter handles, so that a second one mapped to the same URL stays out of the way. */
    private static final String ACTIVE = EarlyRoutes.FILTER_IN_FRONT;

    private final FaultLog faults = new FaultLog("response cache filter");
    private final RefreshFailures refreshFailures = new RefreshFailures(System::nanoTime);
    private SharedCache.Membership membership;
    private FilterConfig config;
    /** The policy, built for the settings of the cache it was last used with (the shared cache may open again). */
    private volatile PolicyFor policy;
    private boolean earlyJaxrsHits;
    private FilterTags tags = FilterTags.NONE;
    /** {@code staleIfErrorDeadline}: -1 for the configured default, 0 for none. */
    private long staleIfErrorDeadline = -1;

    /** Created by the container; set up by {@link #init} from the filter's init-params. */
    public ResponseCacheFilter() {
        // nothing to set up before init
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        ServletScope scope = new ServletScope(config.getServletContext());
        try {
            PropertyValues properties = SharedCache.properties(scope, name -> null);
            UnknownProperties.check(properties, Map.of("context-params", scope.initParameterNames()));
            // Checked before joining, so that a bad init-param fails even with caching switched off.
            earlyJaxrsHits = FilterPolicy.earlyJaxrsHits(config);
            if (!earlyJaxrsHits) {
                FilterPolicy.from(config, CacheSettings.from(properties));
                tags = FilterPolicy.tags(config);
                staleIfErrorDeadline = FilterPolicy.staleIfErrorDeadline(config);
            }
            SharedCache.Membership joined = SharedCache.joinFollowing(scope, properties);
            if (joined == null) {
                return;
            }
            membership = joined;
            this.config = config;
            if (!earlyJaxrsHits) {
                CacheSettings settings = joined.cache().settings();
                policy = new PolicyFor(settings, FilterPolicy.from(config, settings));
            }
            scope.setAttribute(ResponseCacheInvalidator.ATTRIBUTE, joined.cache().invalidator());
        } catch (ResponseCacheConfigException e) {
            destroy();
            ResponseCacheConfigException located = SharedCache.refused(e, scope, name -> null);
            throw new ServletException(located.getMessage(), located);
        }
    }

    @Override
    public void destroy() {
        if (membership != null) {
            membership.close();
            membership = null;
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        SharedCache.Membership joined = membership;
        ResponseCache current = joined == null ? null : joined.cache();
        if (current != null && current.purgeAccess().enabled() && req instanceof HttpServletRequest purge
                && res instanceof HttpServletResponse purged && "PURGE".equals(purge.getMethod())
                && purge.getDispatcherType() == DispatcherType.REQUEST) {
            Purges.answer(current, purge, purged);
            return;
        }
        if (current != null && !earlyJaxrsHits && current.invalidatesUnsafe()
                && req instanceof HttpServletRequest request && res instanceof HttpServletResponse response
                && request.getDispatcherType() == DispatcherType.REQUEST
                && Invalidations.unsafe(request.getMethod())) {
            UnsafeRequests.forward(current, request, (HttpServletResponse) TagHeaderDropping.wrap(current, response),
                    chain);
            return;
        }
        if (current == null || !(req instanceof HttpServletRequest request)
                || !(res instanceof HttpServletResponse response)
                || request.getDispatcherType() != DispatcherType.REQUEST || request.getAttribute(ACTIVE) != null
                || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
            // A request looked up already (a forward, a second filter) keeps the header for its capturing response.
            chain.doFilter(req, req.getAttribute(ACTIVE) != null ? res : TagHeaderDropping.wrap(current, res));
            return;
        }
        if (earlyJaxrsHits) {
            answerEarly(current, request, response, chain, faults);
            return;
        }
        CachePolicy policy = policyFor(current.settings());
        Lookup lookup = current.lookupCountedWhenWritten(policy,
                new ServletRequestView(request).withPathParameters(tags.pathParameters(request)), tags.templates());
        if (lookup.answered()) {
            if (lookup.refresh() == null) {
                // No attribute marks a hit: nothing behind this filter runs for it.
                if (!hitReplayed(lookup, response, current.settings().statusHeader(), true, faults)) {
                    servedUncached(current, request, response, chain);
                }
                return;
            }
            boolean replayed;
            try {
                // This thread refreshes once the answer is sent: a next request on this HTTP/1.1 connection would
                // wait for it, so the client is told to open another.
                closesAfterAnswer(response, faults);
                replayed = hitReplayed(lookup, response, current.settings().statusHeader(), true, faults);
            } catch (IOException | RuntimeException clientGone) {
                current.endRefresh(lookup.refresh());
                throw clientGone;
            }
            if (!replayed) {
                // The stale answer could not be written: served uncached as a fresh hit is, the refresh left to a
                // later request.
                current.endRefresh(lookup.refresh());
                servedUncached(current, request, response, chain);
                return;
            }
            // The refresh runs the chain behind this filter again: a cache filter there must stay out of it.
            request.setAttribute(ACTIVE, Boolean.TRUE);
            if (lookup.refresh().refreshesByHeaders()) {
                BackgroundRevalidation.run(current, lookup.refresh(), request, response, chain, faults,
                        refreshFailures);
            } else {
                RefreshAfterResponse.run(current, lookup.refresh(), request, response, chain, faults,
                        refreshFailures);
            }
            return;
        }
        if (lookup.onlyIfCachedMiss()) {
            // RFC 9111 5.2.1.7: nothing stored may answer, and the client asked not to go further.
            response.setStatus(HttpServletResponse.SC_GATEWAY_TIMEOUT);
            for (Header header : lookup.forwardHeaders(current.settings().statusHeader())) {
                if (header.is(Lookup.CACHE_STATUS) && response.containsHeader(Lookup.CACHE_STATUS)) {
                    keepingOuterStatus(response, header);
                } else {
                    response.setHeader(header.name(), header.value());
                }
            }
            response.setContentLength(0);
            return;
        }
        request.setAttribute(ACTIVE, Boolean.TRUE);
        // A Cache-Status member set in front is kept after this cache's even on a response that is not stored.
        PresetHeaders preset = lookup.mayStore() || response.containsHeader(Lookup.CACHE_STATUS)
                ? PresetHeaders.of(response) : PresetHeaders.NONE;
        DeadlineResponse deadline = deadline(current, lookup, request, response, preset);
        CapturingResponse capturing = new CapturingResponse(request, deadline != null ? deadline : response, current,
                lookup, faults, preset);
        if (!lookup.mayStore() && !lookup.hasStaleOnError()) {
            // Nothing to store and nothing to answer instead of an error (a HEAD within staleIfError goes on below).
            chain.doFilter(request, capturing);
            return;
        }
        // The asynchronous completions below may run before the request's thread returns: they decide, with the
        // deadline's timer, who writes the container's response (servletEnded) before they write to it.
        AsyncAwareRequest wrapped = new AsyncAwareRequest(
                lookup.mayStore() ? ContentReadingRequest.watch(request, capturing::refuseContent) : request, capturing,
                () -> lookup.hasStaleOnError()
                && (deadline == null || !deadline.servletEnded())
                && answerStale(current, lookup, HttpServletResponse.SC_GATEWAY_TIMEOUT, response, capturing, preset,
                        true));
        List<Header> conditions = lookup.conditionalHeaders();
        NotModifiedResponse revalidating = conditions.isEmpty() ? null : new NotModifiedResponse(capturing);
        HttpServletRequest forwarded = revalidating == null && !lookup.hasStaleOnError() ? wrapped
                // The cache's validators replace the client's, which the revalidated entry answers.
                : new ConditionalRequest(revalidating == null ? wrapped
                        : new WithoutPreconditions(wrapped), conditions, current.settings().clock(), () -> {
                    // An asynchronous servlet (a proxy) completes: a 304 answers from the entry, a 5xx from the
                    // stale one.
                    if (deadline != null && deadline.servletEnded()) {
                        if (revalidating != null && revalidating.notModified()) {
                            validatedAfterDeadline(current, lookup, revalidating, request, capturing);
                        }
                        return;
                    }
                    if (revalidating == null
                            || !answerRevalidated(current, lookup, revalidating, request, response, capturing, preset)) {
                        answerStaleOnCompletion(current, lookup, response, capturing, preset);
                    }
                });
        capturing.dispatchedWith(forwarded);
        boolean returned = false;
        try {
            chain.doFilter(forwarded, revalidating == null ? capturing : revalidating);
            returned = true;
        } catch (IOException | ServletException | RuntimeException failure) {
            if (deadline != null && deadline.servletEnded()) {
                // The client has the stale answer already: the servlet failed after its deadline.
                faults.failed(failure);
            } else if (!lookup.hasStaleOnError()
                    || !answerStale(current, lookup, 500, response, capturing, preset, true)) {
                throw failure;
            }
        } finally {
            if (!returned) {
                // The servlet failed: nothing is stored, and no coalesced request waits for it.
                capturing.refuse();
            }
        }
        if (returned && deadline != null && deadline.servletEnded()) {
            // Answered stale at the deadline: the servlet's response, complete now, is still stored if it may be.
            if (!wrapped.handedOver() && !request.isAsyncStarted()) {
                if (revalidating != null && revalidating.notModified()) {
                    validatedAfterDeadline(current, lookup, revalidating, request, capturing);
                } else {
                    capturing.finish();
                }
            }
            return;
        }
        if (!returned || wrapped.handedOver()) {
            return;
        }
        if (revalidating != null
                && answerRevalidated(current, lookup, revalidating, request, response, capturing, preset)) {
            return;
        }
        if (request.isAsyncStarted()) {
            // Asynchronous without going through the wrapper: the body may bypass the capture.
            capturing.refuse();
            return;
        }
        if (capturing.deferredError() != 0) {
            answerStaleOnCompletion(current, lookup, response, capturing, preset);
            return;
        }
        if (lookup.hasStaleOnError() && response.getStatus() >= 500 && !capturing.sentError()
                && answerStale(current, lookup, response.getStatus(), response, capturing, preset, false)) {
            return;
        }
        capturing.finish();
    }

    /**
     * The response the servlet runs into when a stale entry may answer on error and the filter has a deadline:
     * status and headers kept apart until the servlet needs the container, so that the deadline can answer stale.
     */
    private DeadlineResponse deadline(ResponseCache cache, Lookup lookup, HttpServletRequest request,
                                      HttpServletResponse response, PresetHeaders preset) {
        if (!lookup.hasStaleOnError() || !lookup.mayStore() || staleIfErrorDeadline == 0) {
            return null;
        }
        ErrorFallback fallback = new ErrorFallback(cache, lookup, staleIfErrorDeadline);
        if (!fallback.hasDeadline()) {
            return null;
        }
        return DeadlineResponse.armed(response, request.getServletContext(), fallback,
                (answer, container) -> staleLinesCommitted(answer, container, cache.settings().statusHeader(), true,
                        () -> {
                            container.reset();
                            preset.restore(container);
                            // The servlet is still running: the client must not send its next request on this
                            // connection.
                            closesAfterAnswer(container, DeadlineGate.FAULTS);
                        }));
    }

    /**
     * A 304 to the cache's own conditions, after the deadline answered stale, validates the stale entry: stored again,
     * as without the deadline (the capture refuses a 304), though the client already has its answer.
     */
    private static void validatedAfterDeadline(ResponseCache cache, Lookup lookup, NotModifiedResponse revalidating,
                                               HttpServletRequest request, CapturingResponse capturing) {
        lookup.addTags(request.getAttribute(ResponseCacheInvalidator.RESPONSE_TAGS));
        cache.revalidated(lookup, revalidating.headers());
        capturing.refuse();
    }

    /**
     * The response ends (the servlet returned, or its asynchronous context completes) in a 5xx, set or sent with
     * {@code sendError} (held back by the capture): the stale entry answers within stale-if-error, else the error
     * goes on. Nothing to do for any other status.
     */
    private void answerStaleOnCompletion(ResponseCache cache, Lookup lookup, HttpServletResponse response,
                                         CapturingResponse capturing, PresetHeaders preset)
            throws IOException {
        int deferred = capturing.deferredError();
        int status = deferred != 0 ? deferred : response.getStatus();
        if (status < 500 || !lookup.hasStaleOnError()) {
            return;
        }
        if (!answerStale(cache, lookup, status, response, capturing, preset, false)) {
            capturing.sendDeferredError();
        }
    }

    /**
     * Stale-if-error: the servlet threw or answered a 5xx, and a stale entry of this key may answer instead, provided
     * nothing of the failed response has reached the client (a {@code sendError} page is the container's, rendered
     * after the filter returns, and is left alone). The headers filters in front set for this request are kept.
     */
    private boolean answerStale(ResponseCache cache, Lookup lookup, int status, HttpServletResponse response,
                                CapturingResponse capturing, PresetHeaders preset, boolean failed)
            throws IOException {
        // Read before the capture lets go of it: the answer to give again if the stale one cannot be written.
        byte[] body = failed || capturing.deferredError() != 0 ? null : capturing.heldBody();
        // What the capture held goes to the container's buffer, which reset() discards while it is uncommitted.
        capturing.refuse();
        if (response.isCommitted()) {
            return false;
        }
        Lookup stale = cache.staleOnErrorCountedWhenWritten(lookup, status);
        if (stale == null) {
            return false;
        }
        ApplicationAnswer own = ApplicationAnswer.of(response, body);
        response.reset();
        preset.restore(response);
        if (hitReplayed(stale, response, cache.settings().statusHeader(), true, faults)) {
            return true;
        }
        // A line the container or a wrapper in front refuses: the client gets what the application alone sent (for a
        // failure, the container's answer to it: the caller goes on as if no stale entry had answered).
        if (failed) {
            return false;
        }
        own.sendTo(response);
        if (!own.hasBody() && capturing.deferredError() == 0) {
            // Its body is no longer held: the container's page for its status, never a body cut short.
            response.sendError(own.status());
        }
        return false;
    }

    /**
     * Header-driven revalidation: the servlet answered 304 to the conditions the cache added, so the stored entry,
     * refreshed with the 304's headers (RFC 9111 4.3.4), answers the client. False when it answered anything else,
     * which goes to the client and is stored as a miss's response. Runs once, before the response completes.
     */
    private boolean answerRevalidated(ResponseCache cache, Lookup lookup, NotModifiedResponse revalidating,
                                      HttpServletRequest request, HttpServletResponse response,
                                      CapturingResponse capturing, PresetHeaders preset) throws IOException {
        if (!revalidating.notModified()) {
            return false;
        }
        // A revalidated entry is stored again: with the tags the servlet gave this response, as a 200's would be.
        lookup.addTags(request.getAttribute(ResponseCacheInvalidator.RESPONSE_TAGS));
        Lookup answer = cache.revalidated(lookup, revalidating.headers());
        capturing.refuse();
        if (response.isCommitted()) {
            return true;
        }
        response.reset();
        preset.restore(response);
        try {
            replay(answer, response, cache.settings().statusHeader(), true);
        } catch (RuntimeException fault) {
            if (response.isCommitted()) {
                throw fault;
            }
            faults.failed(fault);
            answerAsTheApplication(answer, revalidating, response, preset);
        }
        return true;
    }

    /**
     * The revalidated answer could not be written (a line the container or a response wrapper in front refuses). The
     * request cannot be passed on uncached: the servlet has answered it already, and it is not run twice. Without the
     * conditions the cache added it would have answered the entry the 304 validated, so that goes out as its own
     * response, without {@code Age} and the cache's fields. A 304 that validated no stored response (another
     * representation's validators) leaves the answer the cache gives then, the stale entry (or its 504), which goes
     * out alone the same way: the servlet's 304 answers the cache's conditions, not the client's, and to a client
     * that sent none it is no answer at all (RFC 9110 15.4.5). Should a stored line be the refused one, the entry goes
     * out without the lines refused (which no answer could carry past that wrapper): a full answer still. Only should
     * its status or body be refused does the 304 the servlet sent go out, without the lines refused.
     */
    private static void answerAsTheApplication(Lookup answer, NotModifiedResponse revalidating,
                                               HttpServletResponse response, PresetHeaders preset)
            throws IOException {
        response.reset();
        preset.restore(response);
        if (writtenAlone(answer, response)) {
            return;
        }
        response.reset();
        preset.restore(response);
        if (writtenAlone(answer, new RefusedLinesDropped(response))) {
            return;
        }
        response.reset();
        preset.restore(response);
        response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
        setHeaders(new RefusedLinesDropped(response), null, 0, revalidating.headers(), true);
    }

    /** Writes the entry alone (its stored lines and body); false when a line is refused before anything is sent. */
    private static boolean writtenAlone(Lookup answer, HttpServletResponse response) throws IOException {
        try {
            response.setStatus(answer.status());
            setHeaders(response, null, 0, answer.applicationHeaders(), true);
            long length = answer.replayContentLength();
            if (length >= 0) {
                response.setContentLengthLong(length);
            }
            if (answer.answerHasBody()) {
                answer.writeBody(response.getOutputStream());
            }
            return true;
        } catch (RuntimeException refused) {
            if (response.isCommitted()) {
                throw refused;
            }
            return false;
        }
    }

    private CachePolicy policyFor(CacheSettings settings) {
        PolicyFor current = policy;
        if (current.settings() != settings) {
            // Checked at init with the same init-params, so building it again cannot fail.
            current = new PolicyFor(settings, FilterPolicy.from(config, settings));
            policy = current;
        }
        return current.policy();
    }

    private record PolicyFor(CacheSettings settings, CachePolicy policy) {
    }

    /**
     * Answers a hit on an entry the JAX-RS adapter stored, with that resource method's policy, before the request
     * enters the JAX-RS runtime; everything else (misses, unknown paths) goes on to the runtime, which caches as usual.
     * Never leads or waits on a key: the runtime's own lookup does that.
     */
    private static void answerEarly(ResponseCache cache, HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain, FaultLog faults) throws IOException, ServletException {
        // Read through the lookup's view: on Jetty its headers are then read in one pass for the whole request.
        ServletRequestView view = new ServletRequestView(request);
        // A range request, as in ServletLevelHits: the runtime's own hit answers it with the whole 200, the replay
        // here cut it into a 206.
        EarlyRoutes.Route route = EarlyRoutes.leftToMatching(view.header("Content-Type"))
                || view.header("Range") != null ? null : cache.earlyRoutes().find(request.getRequestURI());
        String representation = route == null ? null : route.representation().apply(view.header("Accept"));
        // As in ServletLevelHits: a query the runtime re-encodes is keyed in its spelling, which a peek here misses.
        if (representation != null && (!route.policy().queryKeyedAsSent()
                || QueryAsSent.spelledAsTheRuntimeSeesIt(request.getQueryString()))) {
            Lookup lookup = cache.peekCountedWhenWritten(route.policy(), view.representedAs(representation,
                    route.keyedOnAccept(representation), route.negotiation()));
            if (lookup.answered()) {
                if (hitReplayed(lookup, response, cache.settings().statusHeader(), false, faults)) {
                    return;
                }
                request.setAttribute(EarlyRoutes.HIT_REFUSED, Boolean.TRUE);
            }
        }
        Throwable thrown = null;
        UnwrittenHits.watch(request);
        try {
            chain.doFilter(request, response);
        } catch (Throwable failure) {
            thrown = failure;
            throw failure;
        } finally {
            // A hit the runtime behind could not write (a wrapper between refused a line): its key goes uncached.
            UnwrittenHits.check(request, response, thrown);
            // The peek's read is for the lookup of this pass only: a later dispatch (ASYNC after a filter behind
            // parked the request) must read the store again, an entry may have been invalidated meanwhile.
            request.removeAttribute(EarlyRoutes.PEEKED_READ);
        }
    }

    /** A hit that could not be written ({@link #hitReplayed}) goes on uncached, as a request passing the cache by. */
    private static void servedUncached(ResponseCache cache, HttpServletRequest request, HttpServletResponse response,
                                       FilterChain chain) throws IOException, ServletException {
        request.setAttribute(ACTIVE, Boolean.TRUE);
        chain.doFilter(request, TagHeaderDropping.wrap(cache, response));
    }

    /**
     * Asks the client to send its next request on another connection: this thread goes on after the answer (a refresh,
     * or the servlet past its deadline), and the connection stays busy until it is done. The line is advice, not part
     * of the answer: one a response wrapper in front refuses is left out (logged), and the answer goes out without it;
     * thrown, it would leave the container's 500, or at a deadline a reset response, in the answer's place.
     */
    static void closesAfterAnswer(HttpServletResponse response, FaultLog faults) {
        try {
            response.setHeader("Connection", "close");
        } catch (RuntimeException refused) {
            faults.failed(refused);
        }
    }

    /**
     * Writes a hit ({@link #replay}) and says whether it did. A fault while writing it, before anything was committed
     * (a stored line the container or a response wrapper in front refuses), must not become the client's 5xx: the
     * response is reset and the request goes on uncached, the fault logged once per episode. Headers that filters in
     * front set before this one go with the reset (keeping them would cost every hit a copy). Once committed, the
     * client has part of the answer: the fault is the container's to end, as any failed write. The answer is counted
     * as what the client got: the hit, or the bypass it became ({@link Lookup#notWritten()}).
     */
    static boolean hitReplayed(Lookup lookup, HttpServletResponse response, String statusHeader,
                               boolean composeWithEarlier, FaultLog faults) throws IOException {
        return replayed(lookup, response, statusHeader, composeWithEarlier, faults, true);
    }

    /**
     * A stale answer at a deadline, on the timer's thread: its status and lines, as {@link #hitReplayed} writes them,
     * committed. Null when they could not be written (the response reset); otherwise what writes and sends its body.
     */
    static DeadlineGate.StaleBody staleLinesCommitted(Lookup answer, HttpServletResponse container,
                                                      String statusHeader, boolean composeWithEarlier)
            throws IOException {
        if (!replayed(answer, container, statusHeader, composeWithEarlier, DeadlineGate.FAULTS, false)) {
            return null;
        }
        container.flushBuffer();
        return () -> {
            replayBody(answer, rangeOf(answer, composeWithEarlier), container);
            // Sent now: Tomcat holds a body that fills its declared length until a flush or the servlet's return.
            container.flushBuffer();
        };
    }

    /**
     * As {@link #staleLinesCommitted(Lookup, HttpServletResponse, String, boolean)}, after {@code before} readies the
     * container's response (a reset, the lines set in front of the cache again). When {@code before} fails (a line a
     * response wrapper in front refuses), nothing of the answer was written: null, as for a line of the answer that
     * could not be written, so that the request's thread answers as if no deadline had passed and the answer is not
     * counted as answered stale. Left to the timer, the failure took the response from the request's thread and left
     * the client the reset response, uncounted.
     */
    static DeadlineGate.StaleBody staleLinesCommitted(Lookup answer, HttpServletResponse container,
                                                      String statusHeader, boolean composeWithEarlier,
                                                      Runnable before) throws IOException {
        try {
            before.run();
        } catch (RuntimeException refused) {
            DeadlineGate.FAULTS.failed(refused);
            answer.notWritten();
            if (!container.isCommitted()) {
                container.reset();
            }
            return null;
        }
        return staleLinesCommitted(answer, container, statusHeader, composeWithEarlier);
    }

    /** {@link #hitReplayed}, of the status and lines alone unless {@code withBody}. */
    private static boolean replayed(Lookup lookup, HttpServletResponse response, String statusHeader,
                                    boolean composeWithEarlier, FaultLog faults, boolean withBody)
            throws IOException {
        try {
            RangeAnswer range = replayLines(lookup, response, statusHeader, composeWithEarlier);
            if (withBody) {
                replayBody(lookup, range, response);
            } else {
                lookup.written();
            }
            return true;
        } catch (RuntimeException fault) {
            if (response.isCommitted()) {
                lookup.written();
                throw fault;
            }
            response.reset();
            faults.failed(fault);
            lookup.notWritten();
            return false;
        }
    }

    /**
     * Writes a hit or a 304 to the response, on which filters in front of this one may already have set headers. An
     * answer counted when written ({@link Lookup#written()}) is counted just before the last byte of its body, which
     * may complete the response ({@link CountedBeforeItsLastByte}), or once its lines are set when it has none.
     *
     * @param composeWithEarlier true for an entry this filter stored: the headers set in front were not stored (see
     *                           {@link PresetHeaders}), so this request's values are kept; a stored header of the
     *                           same name is added to them when the field is a list (as the application's
     *                           {@code addHeader} did on the miss) and replaces them otherwise (as its
     *                           {@code setHeader} did). False for a JAX-RS entry answered early, where the runtime's
     *                           first value of each name replaces an earlier one and so does the replay.
     */
    static void replay(Lookup lookup, HttpServletResponse response, String statusHeader,
                       boolean composeWithEarlier) throws IOException {
        replayBody(lookup, replayLines(lookup, response, statusHeader, composeWithEarlier), response);
    }

    /** The status and lines of {@link #replay}; the range it answers, or null for the whole answer. */
    private static RangeAnswer replayLines(Lookup lookup, HttpServletResponse response, String statusHeader,
                                           boolean composeWithEarlier) {
        RangeAnswer range = rangeOf(lookup, composeWithEarlier);
        response.setStatus(range != null ? range.status() : lookup.status());
        // On Jetty's own response a Vary a filter in front set is a field of a name the hit sets, which leaves the hit
        // to the servlet API below: the Vary is merged with it there, and no hit reads the response's Vary before.
        // Behind the initializer's own wrapper too while no deadline is armed on it: it then passes every line on as
        // it is, and none can be armed any more. With one armed, the lines go through it (nowhere, once it answered).
        HttpServletResponse own = range == null ? JettyResponses.fieldsOf(response) : null;
        boolean direct = own != null;
        String vary = replayVary(lookup, response, composeWithEarlier && !direct);
        // The servlet filter's miss sets the status header and Cache-Status, then the Vary, before the servlet runs: a
        // hit of its entry sends them in that order. A JAX-RS entry's miss has them after the method's, as its hit.
        List<Header> headers = lookup.replayHeaders(statusHeader, composeWithEarlier);
        int varyAt = composeWithEarlier ? 2 : 0;
        if (range != null) {
            setHeaders(response, vary, varyAt, headers, composeWithEarlier);
            response.setHeader("Content-Range", range.contentRange());
            response.setContentLengthLong(range.length());
            return range;
        }
        long length = lookup.replayContentLength();
        // A JAX-RS entry answered in front of the runtime is framed as the runtime frames its own 304 (which leaves
        // the length to the container): the hit must be the bytes the runtime would send.
        if (!composeWithEarlier && lookup.outcome() == Lookup.Outcome.NOT_MODIFIED) {
            length = -1;
        }
        // On Jetty the same field lines go into its response fields directly, at a fraction of the cost.
        if (!direct || !JettyResponses.appended(own, vary, varyAt, headers, length)) {
            if (direct && composeWithEarlier) {
                vary = replayVary(lookup, response, true);
            }
            setHeaders(response, vary, varyAt, headers, composeWithEarlier);
            if (length >= 0) {
                response.setContentLengthLong(length);
            }
        }
        return null;
    }

    /**
     * The range of the entry that answers the request of {@code lookup}; null for the whole entry, always for a JAX-RS
     * entry ({@code composeWithEarlier} false): the runtime never cuts the entity a hit or a stale answer replays, so
     * a range request in front of it (a stale answer in place of its error, say) is answered whole, as inside it.
     */
    private static RangeAnswer rangeOf(Lookup lookup, boolean composeWithEarlier) {
        return composeWithEarlier ? RangeAnswer.of(lookup) : null;
    }

    /** The body of {@link #replay}: of {@code range} when not null. */
    private static void replayBody(Lookup lookup, RangeAnswer range, HttpServletResponse response)
            throws IOException {
        boolean body = range != null ? range.length() > 0 : lookup.answerHasBody();
        if (body) {
            long length = range != null ? range.length() : lookup.replayContentLength();
            OutputStream out = response.getOutputStream();
            if (length > 0 && mayRefuseABody(response)) {
                // Counted before the last byte, which may complete the response (the client must not be answered
                // first), and after the others, which a wrapper in front may refuse with nothing committed: then it
                // was not a hit. The container's own stream refuses no body, and a body passed on in two writes
                // costs a hit a second pass through the container's output (about 5% of an early hit's server CPU
                // on Jetty, HitCpu), so there the answer is counted before it.
                out = new CountedBeforeItsLastByte(out, lookup, length);
            } else {
                lookup.written();
            }
            try {
                if (range != null) {
                    lookup.entry().writeBody(range.slice(out));
                } else {
                    lookup.writeBody(out);
                }
            } catch (IOException gone) {
                // The client went away during the body: the answer was the hit all the same, not the application's.
                lookup.written();
                throw gone;
            }
        }
        lookup.written();
    }

    /**
     * Whether a body written to {@code response} may be refused with nothing committed: only behind a response wrapper
     * in front. The library's own {@link ErrorReplacingResponse}, which {@link RefreshRunner} puts in front of every
     * GET of a web application the initializer ran in, passes a body on or discards it, never refuses it: taken for a
     * wrapper in front, it made every hit of such an application pay the split {@link #replayBody} saves on the
     * container's own response.
     */
    static boolean mayRefuseABody(ServletResponse response) {
        ServletResponse front = response instanceof ErrorReplacingResponse own ? own.getResponse() : response;
        return front instanceof ServletResponseWrapper;
    }

    /**
     * The hit's {@code Vary} (when {@link #replayVary} made one) before the line at {@code varyAt}, and its header
     * lines, through the servlet API.
     */
    private static void setHeaders(HttpServletResponse response, String vary, int varyAt, List<Header> headers,
                                   boolean composeWithEarlier) {
        for (int i = 0; i < headers.size(); i++) {
            if (i == varyAt && vary != null) {
                response.setHeader("Vary", vary);
            }
            Header header = headers.get(i);
            if (vary != null && header.is("Vary")) {
                continue;
            }
            if (composeWithEarlier && header.is(Lookup.CACHE_STATUS) && response.containsHeader(Lookup.CACHE_STATUS)) {
                keepingOuterStatus(response, header);
            } else if (firstOfItsName(headers, i)
                    && (!composeWithEarlier || !ListFields.named(header.name()))) {
                response.setHeader(header.name(), header.value());
            } else {
                response.addHeader(header.name(), header.value());
            }
        }
    }

    /**
     * Sets this cache's {@code Cache-Status} line on a response on which a filter in front set its own: that member is
     * an outer cache's, listed after this cache's (RFC 9211 2: from the origin outward), as on the miss.
     */
    private static void keepingOuterStatus(HttpServletResponse response, Header ours) {
        List<String> outer = List.copyOf(response.getHeaders(Lookup.CACHE_STATUS));
        response.setHeader(ours.name(), ours.value());
        for (String line : outer) {
            response.addHeader(Lookup.CACHE_STATUS, line);
        }
    }

    /** Whether no header before {@code index} has its name: a hit's few headers compare faster than they hash. */
    private static boolean firstOfItsName(List<Header> headers, int index) {
        String name = headers.get(index).name();
        for (int i = 0; i < index; i++) {
            if (headers.get(i).is(name)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@code Vary} of a hit ({@link SelectionVary}): the stored one, after any a filter in front set for this
     * request when the entry is this filter's own (as on the miss), with the names the key depends on. Null when the
     * key depends on no header: the stored field lines are then replayed like any other.
     */
    private static String replayVary(Lookup lookup, HttpServletResponse response, boolean composeWithEarlier) {
        if (!SelectionVary.dependsOnHeaders(lookup)) {
            return null;
        }
        // Nearly always neither a filter in front nor the entry has a Vary: no lists then (getHeaders makes one).
        List<String> lines = null;
        if (composeWithEarlier && response.getHeader("Vary") != null) {
            lines = new ArrayList<>(response.getHeaders("Vary"));
        }
        for (Header header : lookup.entry().headers()) {
            if (header.is("Vary")) {
                if (lines == null) {
                    lines = new ArrayList<>(2);
                }
                lines.add(header.value());
            }
        }
        return SelectionVary.merged(lookup, lines == null ? List.of() : lines);
    }
}
