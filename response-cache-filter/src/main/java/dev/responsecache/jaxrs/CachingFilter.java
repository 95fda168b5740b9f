package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.CapturingOutputStream;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.ErrorFallback;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.Header;
import dev.responsecache.core.Invalidations;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.RefreshHandOff;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.RuntimeWrittenHit;
import dev.responsecache.core.SelectionVary;
import dev.responsecache.core.TagTemplate;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The cache around one resource method. As a request filter it answers hits; as a response filter it marks misses
 * and decides whether the body is worth capturing; as a writer interceptor it captures the body as it streams to the
 * client and stores the response once it is complete.
 *
 * <p>A hit given to {@code abortWith} goes through every response filter and writer interceptor of the application
 * again (a CORS filter, Jersey's {@code EncodingFilter} and its encoders). So what is stored is the response as the
 * resource method produced it, before any of them: the headers as the first response filter sees them
 * ({@link Snapshot}) and the body as the innermost writer interceptor sees it (before encoders). Replayed, it
 * composes with the application's filters into what the miss sent, each filter and encoder applied once. The rules
 * that refuse storing are applied to the final headers too, once no filter, interceptor or message body writer can
 * add a line the client gets ({@link Verdict} for a response without an entity, {@link #aroundWriteTo} or
 * {@link Sealing} for one with), so a {@code Set-Cookie} or {@code no-store} added at any point still prevents
 * storing, and a {@code Vary} added at any point keys the entry.
 */
final class CachingFilter implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {

    /**
     * After every authentication, authorization and user filter (an application filter without {@code @Priority}
     * gets {@link Priorities#USER}), so that a cached response never reaches a request the application rejects. The
     * default: a method that a later application request filter runs for gets a lookup above it
     * ({@link LookupPriority}).
     */
    static final int LOOKUP_PRIORITY = Priorities.USER + 1000;
    /**
     * Response filters run in descending order: the highest runs first and sees the headers as the resource method
     * produced them, which are the headers to store.
     */
    static final int SNAPSHOT_PRIORITY = Integer.MAX_VALUE;
    /** Low, so that it runs after the application's filters: it adds this cache's headers and merges {@code Vary}. */
    static final int STORE_PRIORITY = 100;
    /**
     * The lowest a registration can give: Jersey takes a priority of 0 or less given at registration for none (it
     * reads the class's {@code @Priority} instead, else {@code USER}). Runs after every application response filter
     * above it, so it sees the header lines of a response without an entity as the client gets them, and stores it
     * only then: an application filter below {@link #STORE_PRIORITY} may still add a {@code Set-Cookie}, a
     * {@code Cache-Control: private} or a {@code Vary} after the filter at that priority. A method that an application
     * response filter at this priority or below runs for is not cached ({@link PriorityTies#atTheLast}). A response
     * with an entity is judged after its body, in {@link #aroundWriteTo}.
     */
    static final int VERDICT_PRIORITY = 1;
    /**
     * Writer interceptors run in ascending order and each wraps the stream of the previous ones: the last one sees
     * the bytes the message body writer produces, before any encoder (such as gzip) wraps them, which are the bytes
     * to replay (a hit goes through the encoders again).
     */
    static final int CAPTURE_PRIORITY = Integer.MAX_VALUE;

    private static final String LOOKUP = "dev.responsecache.lookup";
    private static final String PENDING = "dev.responsecache.pending";
    private static final String PRODUCED = "dev.responsecache.produced";
    private static final String APPLICATION_VARY = "dev.responsecache.application-vary";
    /** The {@code Vary} elements the response carried after {@link #STORE_PRIORITY} merged them (a set). */
    private static final String MERGED_VARY = "dev.responsecache.merged-vary";
    /** Set by the outermost writer interceptor ({@link Sealing}) when the innermost is to leave the store to it. */
    private static final String SEALED = "dev.responsecache.sealed";
    /** The response the innermost writer interceptor found storable, for {@link Sealing} to judge and store. */
    private static final String STORE_AFTER = "dev.responsecache.store-after";
    private static final byte[] NO_BODY = new byte[0];
    private static final String ENTITY_REPLACED = "entity-replaced";
    private static final String STATUS_REPLACED = "status-replaced";
    private static final String SESSION = "session";
    private static final String TOO_LARGE = "too-large";
    /** Jersey's default entity buffer, and no more than Jetty's or Tomcat's response buffer. */
    private static final int BUFFERED_BODY = 8192;

    private final ResponseCache cache;
    private final CachePolicy policy;
    private final Representation representation;
    private final String statusHeader;
    private final EarlyRoutes.Route route;
    private final BooleanSupplier earlyHits;
    private final Snapshot snapshot = new Snapshot();
    private final Verdict verdict = new Verdict();
    private final Sealing sealing = new Sealing();
    /** {@link #replay}, bound once: a method reference written in the response filter is a new object per response. */
    private final Function<Lookup, Response> replayer = this::replay;
    /** How the runtime writes header value objects, for the headers read as text. */
    private final JaxrsHeaders text;
    private final FaultLog faults = new FaultLog("response cache (JAX-RS response headers)");
    private volatile ReplayedType lastType;
    private List<TagTemplate> tags = List.of();
    private long staleIfErrorDeadline = -1;

    /**
     * @param earlyHits whether the servlet filter may answer this method's entries before the runtime (asked when
     *                  an entry is stored, once every resource method is known)
     */
    CachingFilter(ResponseCache cache, CachePolicy policy, Representation representation, BooleanSupplier earlyHits,
                  JaxrsHeaders text) {
        this.cache = cache;
        this.text = text;
        this.policy = policy;
        this.representation = representation;
        this.statusHeader = cache.settings().statusHeader();
        this.earlyHits = earlyHits;
        this.route = new EarlyRoutes.Route(policy, representation::forEarlyHit, representation.oneType());
    }


    /**
     * Tells a {@code ResponseCacheFilter} in front that this method's own policy caches the response (see
     * {@link EarlyRoutes#CACHED_BY_METHOD}); one attribute read per request otherwise.
     */
    static void markedForTheFilterInFront(ContainerRequestContext request) {
        if (request.getProperty(EarlyRoutes.FILTER_IN_FRONT) != null) {
            request.setProperty(EarlyRoutes.CACHED_BY_METHOD, Boolean.TRUE);
        }
    }

    /** The method's {@code staleIfErrorDeadline} (-1: the configured one); set once, before it serves requests. */
    void answerStaleAfter(long seconds) {
        this.staleIfErrorDeadline = seconds;
    }

    /** The tag templates of the stored responses; set once, before the application serves requests. */
    void tagWith(List<TagTemplate> templates) {
        this.tags = List.copyOf(templates);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return;
        }
        if (request.getHeaderString(JaxrsRequest.METHOD_OVERRIDE) != null) {
            // Sent as another method (a POST Jersey's HttpMethodOverrideFilter turned into this GET): the application
            // answers a read, which a servlet filter in front, seeing a POST, must not take for a write.
            request.setProperty(Invalidations.ROUTED_AS_READ, Boolean.TRUE);
        }
        markedForTheFilterInFront(request);
        if (request.getProperty(EarlyRoutes.HIT_REFUSED) != null) {
            // Its hit could not be written in front of the runtime: served uncached, looked up by nobody.
            return;
        }
        Lookup refreshing = request.getProperty(RefreshHandOff.RUNNING) instanceof RefreshHandOff running
                ? running.refreshFor(cache) : null;
        if (refreshing != null) {
            // The servlet filter in front runs this request again to refresh a stale entry: it is the key's miss.
            request.removeProperty(RefreshHandOff.RUNNING);
            request.setProperty(LOOKUP, refreshing);
            JaxrsRevalidation.addConditions(request, refreshing);
            // The refresh runs with the request's content, which the stale answer's lookup did not key.
            ContentRead.watch(request);
            return;
        }
        String keyed = representation.of(request.getHeaderString(JaxrsRequest.ACCEPT));
        JaxrsRequest looked = new JaxrsRequest(request, keyed, route.keyedOnAccept(keyed));
        // A hit is counted as what the client got: the runtime writes it, and a wrapper in front may refuse it.
        Lookup lookup = cache.lookupCountedWhenWritten(policy, looked, tags);
        boolean handedOff = false;
        if (lookup.refresh() != null) {
            if (request.getProperty(RefreshHandOff.RUNNER) != null) {
                handedOff = true;
                // Stale-while-revalidate: JAX-RS cannot run a resource method once its request is answered, but the
                // servlet filter in front can run this same request again once the stale answer is complete.
                request.setProperty(RefreshHandOff.PENDING, new RefreshHandOff(cache, lookup.refresh()));
            } else {
                // No such filter (a server that runs no ServletContainerInitializer): the one request that won the
                // refresh runs the method as a miss, with its own context; every other request in the window is
                // answered stale at once. Not a conditional or range request: the method could answer it with a 304
                // or 206, which is not stored, and the entry would stay stale; it gets the stale answer instead.
                if (looked.conditionalOrRange() || !cache.beginRefresh(lookup.refresh())) {
                    // (Or another instance of the cluster refreshes the key.)
                    cache.endRefresh(lookup.refresh());
                } else {
                    // Counted as now: the stale answer this request won the refresh with, though the method answers.
                    lookup.written();
                    lookup = lookup.refresh();
                    RuntimeIntegration.watchInlineRefresh(request, new InlineRefresh(cache, lookup));
                }
            }
        }
        request.setProperty(LOOKUP, lookup);
        if (lookup.hasStaleOnError() && request.getProperty(ErrorFallback.GUARD) instanceof ErrorFallback.Guard guard) {
            // An exception no mapper handles can reach the container past the response filters, and a slow method
            // may pass its deadline: the servlet filter in front answers stale for both.
            ErrorFallback fallback = new ErrorFallback(cache, lookup, staleIfErrorDeadline);
            request.setProperty(ErrorFallback.ATTRIBUTE, fallback);
            guard.watch(fallback);
        }
        if (lookup.answered()) {
            Response answer = answer(lookup);
            if (handedOff && lookup.entry().bodyLength() <= BUFFERED_BODY
                    && request.getProperty(ErrorFallback.GUARD) instanceof ErrorFallback.Guard runner) {
                // This thread refreshes once the answer is sent: the client's next request must not queue behind it
                // on this HTTP/1.1 connection. Only for a body the runtime and the container buffer whole, which
                // they then frame with a Content-Length; a longer one could be framed by the connection's end. Set
                // by the filter in front, which leaves out a line refused there, rather than among the answer's
                // lines, whose refusal would fail the runtime's whole answer.
                runner.closesAfterAnswer();
            }
            leftToTheFilterInFront(cache, lookup, request);
            request.abortWith(answer);
        } else if (lookup.onlyIfCachedMiss()) {
            // RFC 9111 5.2.1.7 (header-driven mode): nothing stored may answer, and the client asked not to go on.
            request.abortWith(Response.status(Response.Status.GATEWAY_TIMEOUT).build());
        } else {
            JaxrsRevalidation.addConditions(request, lookup);
            if (lookup.mayStore()) {
                ContentRead.watch(request);
                ServletResponseView runtimeResponse = RuntimeIntegration.runtimeResponse(request);
                if (runtimeResponse != null) {
                    request.setProperty(ServletResponseView.RUNTIME_PROPERTY, runtimeResponse);
                }
            }
        }
    }

    /** The answer the runtime writes for {@code lookup}; one that cannot be built is counted as not written. */
    private Response answer(Lookup lookup) {
        try {
            return replay(lookup);
        } catch (RuntimeException unbuilt) {
            lookup.notWritten();
            throw unbuilt;
        }
    }

    /**
     * Leaves {@code answer}, which the runtime is to write, to the library's filter in front of it, which alone sees
     * whether it was written ({@link RuntimeWrittenHit}) and then counts it; without that filter (no
     * {@link RuntimeWrittenHit#CHECKED} mark), counted now, as the lookup would have.
     */
    static void leftToTheFilterInFront(ResponseCache cache, Lookup answer, ContainerRequestContext request) {
        request.setProperty(RuntimeWrittenHit.ATTRIBUTE, new RuntimeWrittenHit(cache, answer));
        if (request.getProperty(RuntimeWrittenHit.CHECKED) == null) {
            answer.written();
        }
    }

    Response replay(Lookup lookup) {
        Response.ResponseBuilder response = Response.status(lookup.status());
        GzipAnswer gzip = GzipAnswer.of(lookup);
        for (Header replayed : lookup.replayHeaders(statusHeader)) {
            Header header = gzip == null ? replayed : gzip.asIdentity(replayed);
            if (header == null) {
                continue;
            }
            response.header(header.name(), header.is(HttpHeaders.CONTENT_TYPE) ? contentType(header.value())
                    : header.value());
        }
        CacheEntry entry = lookup.entry();
        // No Content-Length: an encoder the application registered may still encode the body, and the runtime
        // frames it as it framed the miss. A HEAD gets the entity too, so that the runtime computes the same
        // headers as for the GET and then drops the body, as it does for a HEAD miss.
        // An error status with an empty body gets its (empty) entity too: without one, Jersey answers it with the
        // container's error page (sendError), which the miss, whose method returned an entity, did not send.
        if (lookup.outcome() == Lookup.Outcome.HIT && (entry.bodyLength() > 0 || entry.status() >= 400)) {
            response.entity(gzip != null ? gzip : (StreamingOutput) entry::writeBody);
        }
        return response.build();
    }

    /**
     * The stored Content-Type as a parsed {@link MediaType}: the runtime needs the media type of every response to
     * choose its writer, and would otherwise parse the text again on every hit. One method nearly always produces
     * one type, so remembering the last one parsed is enough. The text is kept when the parsed type would be
     * written back differently, so that a hit replays exactly the stored header.
     */
    private Object contentType(String text) {
        ReplayedType last = lastType;
        if (last == null || !last.text().equals(text)) {
            MediaType parsed;
            try {
                parsed = MediaType.valueOf(text);
            } catch (IllegalArgumentException unparsable) {
                parsed = null;
            }
            last = new ReplayedType(text, parsed != null && parsed.toString().equals(text) ? parsed : null);
            lastType = last;
        }
        return last.type() != null ? last.type() : text;
    }

    /** Whether this request's response may be stored (its lookup says so), for the checks that run before it. */
    static boolean mayStore(ContainerRequestContext request) {
        return request.getProperty(LOOKUP) instanceof Lookup lookup && lookup.mayStore();
    }

    /** The response filter that runs first: the response as the resource method produced it. */
    ContainerResponseFilter snapshot() {
        return snapshot;
    }

    /** The filter at {@link #VERDICT_PRIORITY}, registered beside this one. */
    ContainerResponseFilter verdict() {
        return verdict;
    }

    /** The writer interceptor at {@link #VERDICT_PRIORITY} (the outermost), registered beside this one. */
    WriterInterceptor sealing() {
        return sealing;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(LOOKUP) instanceof Lookup lookup)) {
            return;
        }
        // The header map as text only when it holds a Vary: building the runtime's text view costs every response.
        List<String> sentVary = response.getHeaders().containsKey(HttpHeaders.VARY)
                ? response.getStringHeaders().get(HttpHeaders.VARY) : null;
        List<String> applicationVary = sentVary == null ? List.of() : List.copyOf(sentVary);
        // Last, on a hit as on a miss, so that both carry the same Vary after the other filters added theirs.
        String vary = SelectionVary.merged(lookup, applicationVary);
        if (vary != null) {
            response.getHeaders().putSingle(HttpHeaders.VARY, vary);
        }
        if (lookup.answered()) {
            HeadLength.declare(response.getHeaders(), lookup, request.getMethod(),
                    Boolean.TRUE.equals(request.getProperty(ApplicationPipeline.PROPERTY)));
            filtersMembersBeforeOurs(lookup, response.getHeaders());
        } else {
            if (lookup.mayStore()) {
                // A Vary a filter added is not stored (the filter adds it again on a hit), yet the method's response
                // may depend on that header: the entry must still be matched on it. Read only when storing: a
                // request property is a servlet request attribute in a servlet container, two writes per request.
                request.setProperty(APPLICATION_VARY, applicationVary);
                request.setProperty(MERGED_VARY, varyElements(vary == null ? applicationVary : List.of(vary)));
            }
            forward(request, response, lookup);
        }
    }

    /**
     * On an answer from the cache, the {@code Cache-Status} lines the application's response filters added (they run
     * after the replay, whose line holds the stored members and this cache's) go before this cache's member, in one
     * line: where the miss has them, since it reads every line in the response as a member of a cache nearer the
     * origin before it appends its own. The stored members, the filters', then this cache's. Only looked at when
     * there is more than one line: a filter that replaced the line with {@code putSingle} did so on the miss too.
     */
    private void filtersMembersBeforeOurs(Lookup lookup, MultivaluedMap<String, Object> headers) {
        List<Object> lines = headers.get(Lookup.CACHE_STATUS);
        if (lines == null || lines.size() < 2) {
            return;
        }
        String ours = lookup.replayedCacheStatus(statusHeader);
        boolean found = false;
        List<String> added = new ArrayList<>(lines.size() - 1);
        for (Object line : lines) {
            String value = line == null ? null : text.text(line);
            if (!found && ours.equals(value)) {
                found = true;
            } else if (value != null && !value.isBlank()) {
                added.add(value.trim());
            }
        }
        if (!found) {
            return;
        }
        String stored = lookup.entry().cacheStatusMembers();
        StringBuilder joined = new StringBuilder(ours.length() + 32);
        if (stored != null) {
            joined.append(stored);
        }
        for (String member : added) {
            joined.append(joined.isEmpty() ? "" : ", ").append(member);
        }
        joined.append(joined.isEmpty() ? "" : ", ").append(stored == null ? ours : ours.substring(stored.length() + 2));
        headers.putSingle(Lookup.CACHE_STATUS, joined.toString());
    }

    private void forward(ContainerRequestContext request, ContainerResponseContext response, Lookup lookup) {
        lookup.addTags(request.getProperty(ResponseCacheInvalidator.RESPONSE_TAGS));
        MultivaluedMap<String, Object> headers = response.getHeaders();
        int status = response.getStatus();
        // Read as text once, before the cache's own headers are added, for both checks below.
        List<Header> filtered = null;
        RuntimeException unformattable = null;
        if (lookup.mayStore()) {
            try {
                filtered = text.toList(headers);
            } catch (RuntimeException e) {
                unformattable = e;
            }
        }
        Object produced = request.getProperty(PRODUCED);
        if (produced != null) {
            request.removeProperty(PRODUCED);
        }
        String notStored = notStoredReason(lookup, status, response, filtered);
        // A refusal that a header set later lifts (no lifetime yet, say) is final here unless a message body writer
        // is still to run: it may set the header in writeTo (the client gets it), and is judged again after it.
        String provisional = notStored == null && filtered != null && produced instanceof Produced original
                ? provisionalReason(lookup, original) : null;
        boolean writerMayLift = provisional != null && response.hasEntity();
        if (provisional != null && !writerMayLift) {
            cache.reportRefusal(lookup, provisional);
            notStored = provisional;
        }
        // The session is read once here: when it was, and created none, the check below need not read it again.
        boolean sessionRead = notStored == null && lookup.mayStore();
        if (sessionRead && createdSession(request.getProperty(ContainerSession.PROPERTY))) {
            notStored = SESSION;
            cache.reportRefusal(lookup, notStored);
        }
        if (notStored == null && lookup.mayStore() && ContentRead.happened(request)) {
            // Content no header announced (HTTP/2): the response may depend on it.
            notStored = "request-body";
            cache.reportRefusal(lookup, notStored);
        }
        if (notStored == null && produced instanceof Produced original) {
            // Jersey MVC replaces a @Template method's model only as it is written, never in a response filter.
            if (entityReplaced(lookup, original, response.getEntity(), false)) {
                notStored = ENTITY_REPLACED;
            } else if (original.status() != status) {
                // A filter set it, perhaps from the entity, which on a hit is the stored bytes: it may not set it
                // again, and the hit would answer the method's status.
                notStored = STATUS_REPLACED;
                cache.reportRefusal(lookup, notStored);
            }
        }
        if (notStored == null && lookup.mayStore()) {
            // A cookie, body, redirect or header put on the servlet response itself: the entry could not hold it.
            notStored = ServletResponseView.outsideJaxrs(request.getProperty(ServletResponseView.PROPERTY), false,
                    request.getProperty(ServletResponseView.RUNTIME_VARY));
            if (notStored == null) {
                // Outside a servlet container, what the method put on the runtime's own response, a cookie above all.
                notStored = ServletResponseView.outsideJaxrs(request.getProperty(ServletResponseView.RUNTIME_PROPERTY),
                        false, request.getProperty(ServletResponseView.RUNTIME_VARY));
            }
            if (notStored != null) {
                cache.reportRefusal(lookup, notStored);
            }
        }
        // After the Cache-Status members the method (or a filter) put there: those of caches nearer the origin.
        List<String> upstream = upstreamStatus(headers);
        List<Header> forwarded = lookup.forwardHeaders(statusHeader, notStored != null ? notStored : provisional,
                upstream);
        for (Header header : forwarded) {
            headers.putSingle(header.name(), header.value());
        }
        if (notStored != null || !(produced instanceof Produced original) || !cache.mayCapture(lookup, status)) {
            cache.release(lookup);
            return;
        }
        if (unformattable != null) {
            faults.failed(unformattable);
            cache.release(lookup);
            return;
        }
        List<Header> sent = replaced(filtered, forwarded);
        // Deferred to the writer, the whole rules are applied to the headers it leaves (the early ones passed).
        if (!writerMayLift && refusesSent(lookup, status, sent)
                || !sessionRead && createdSession(lookup, request.getProperty(ContainerSession.PROPERTY))) {
            cache.release(lookup);
            return;
        }
        // Judged again, and stored, once the lines the client gets are final: after the body, or for a response
        // without one after the last response filter (an application's below this one's priority adds lines too).
        request.setProperty(PENDING, new PendingStore(lookup, original, provisional, upstream, response.hasEntity()));
    }

    /** The {@code Cache-Status} field lines in the response's header map, as text. */
    private List<String> upstreamStatus(MultivaluedMap<String, Object> headers) {
        List<Object> values = headers.get(Lookup.CACHE_STATUS);
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(values.size());
        for (Object value : values) {
            if (value != null) {
                // As the runtime would have written it (a Date as an HTTP-date, not its toString()).
                lines.add(text.text(value));
            }
        }
        return lines;
    }

    /** {@code headers} after {@code putSingle} of each of {@code replacing}, as the runtime's map then holds them. */
    private static List<Header> replaced(List<Header> headers, List<Header> replacing) {
        List<Header> result = new ArrayList<>(headers.size() + replacing.size());
        for (Header header : headers) {
            if (!named(replacing, header)) {
                result.add(header);
            }
        }
        result.addAll(replacing);
        return result;
    }

    private static boolean named(List<Header> headers, Header wanted) {
        for (Header header : headers) {
            if (wanted.is(header.name())) {
                return true;
            }
        }
        return false;
    }

    /** A new session's cookie is added by the container, outside JAX-RS: the entry would lack it. */
    private static boolean createdSession(Object sessionProperty) {
        ContainerSession session = ContainerSession.from(sessionProperty);
        return session != null && session.created();
    }

    /** {@link #createdSession(Object)}, counted as a refusal when it keeps the response out. */
    private boolean createdSession(Lookup lookup, Object sessionProperty) {
        if (createdSession(sessionProperty)) {
            cache.reportRefusal(lookup, SESSION);
            return true;
        }
        return false;
    }

    /** Whether the rules refuse the response as the client gets it (a later filter may have added a cookie). */
    private boolean refusesSent(Lookup lookup, int status, List<Header> sent) {
        try {
            return cache.refusal(lookup, status, sent) != null;
        } catch (RuntimeException e) {
            faults.failed(e);
            return true;
        }
    }

    /** The headers as the client gets them, as text; null (the fault logged) when one cannot be formatted. */
    private List<Header> sentHeaders(MultivaluedMap<String, Object> headers) {
        try {
            return text.toList(headers);
        } catch (RuntimeException e) {
            faults.failed(e);
            return null;
        }
    }

    /**
     * Why this response will not be stored, for {@code Cache-Status}. An error status without an entity is never
     * stored: Jersey hands it to the servlet container's {@code sendError} (unless
     * {@code jersey.config.server.response.setStatusOverSendError} is set), whose error page is rendered outside JAX-RS
     * and differs between containers, so no stored copy could be what the client got. Nor is a Jersey
     * {@code ChunkedOutput} ({@link StreamedResponses}).
     */
    private String notStoredReason(Lookup lookup, int status, ContainerResponseContext response,
                                   List<Header> headers) {
        if (!lookup.mayStore()) {
            return null;
        }
        if (status >= 400 && !response.hasEntity()) {
            cache.reportRefusal(lookup, "error-page");
            return "error-page";
        }
        if (StreamedResponses.isChunkedOutput(response.getEntity())) {
            // Its chunks are written one by one after this response's own (empty) write: no write is the body.
            cache.reportRefusal(lookup, "stream");
            return "stream";
        }
        if (headers == null) {
            // Unformattable: reported when the response would be stored, and not stored.
            return null;
        }
        try {
            return cache.notStoredReason(lookup, status, headers);
        } catch (RuntimeException unexpected) {
            // Reported where the same rules read the same headers again before storing (refusesSent), and not stored.
            return null;
        }
    }

    /**
     * A reason the header-driven mode can only tell from the headers as a whole (no lifetime, Authorization without
     * public, too old), or null. Judged on what is stored, the method's status and headers (with those its message
     * body writer sets, once it has run), as the store judges them: a lifetime a response filter adds for the client
     * is not in the entry. Not reported: the caller reports it once it is final.
     */
    private String provisionalReason(Lookup lookup, Produced produced) {
        try {
            return cache.provisionalReason(lookup, produced.status(), produced.headers());
        } catch (RuntimeException unexpected) {
            // Reported where the same rules read the same headers again before storing, and not stored.
            return null;
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(PENDING) instanceof PendingStore pending)) {
            context.proceed();
            return;
        }
        context.removeProperty(PENDING);
        // What the message body writer then sets in the header map reaches the client, and must reach the entry.
        List<Header> beforeWriter = sentHeaders(context.getHeaders());
        OutputStream original = context.getOutputStream();
        // Held, not streamed: the body is stored (and coalesced requests released) before a slow client reads it.
        CapturingOutputStream[] held = new CapturingOutputStream[1];
        CapturingOutputStream capture = cache.hold(original, pending.lookup(),
                () -> givenUp(pending, held[0], context.getHeaders()));
        held[0] = capture;
        context.setOutputStream(capture);
        boolean written = false;
        try {
            context.proceed();
            written = true;
        } catch (IOException | RuntimeException | Error failure) {
            if (!capture.clientFailed()) {
                // The body's own writer failed (not a client that hung up): a refresh's failure, counted at once,
                // since the runtime may never pass it on (Jersey only logs it once the response was committed). A
                // WebApplicationException too: unlike a method's, which is its answer, a writer's leaves the page
                // unwritten, and the runtime sends the exception's response in its place.
                cache.bodyWriterFailed(pending.lookup(), failure);
            }
            throw failure;
        } finally {
            context.setOutputStream(original);
            if (!written) {
                cache.release(pending.lookup());
            }
        }
        // Null when the copy could not be kept, or a write to the client failed (even one the application caught).
        byte[] body = capture.captured();
        List<Header> sent = body == null || beforeWriter == null ? null : sentHeaders(context.getHeaders());
        if (sent == null || refusedAsSent(pending, sent, context.getHeaders())
                || createdSession(pending.lookup(), context.getProperty(ContainerSession.PROPERTY))
                || contentReadWhileWriting(pending.lookup(), context)
                || entityReplaced(pending.lookup(), pending.produced(), context.getEntity(), true)
                || ServletResponseView.outsideJaxrs(context.getProperty(ServletResponseView.PROPERTY), true, null) != null
                || ServletResponseView.outsideJaxrs(context.getProperty(ServletResponseView.RUNTIME_PROPERTY), true,
                        null) != null) {
            cache.release(pending.lookup());
        } else {
            Produced produced = pending.produced();
            List<Header> withWriters = WriterHeaders.applied(produced.headers(), beforeWriter, sent);
            Produced stored = withWriters == produced.headers() ? produced
                    : new Produced(produced.status(), withWriters, produced.entity(), produced.annotations());
            if (pending.provisional() != null) {
                sent = judgedAgain(pending, stored, context.getHeaders(), sent);
            }
            if (Boolean.TRUE.equals(context.getProperty(SEALED))) {
                // An application interceptor outside this one may still add a line the client gets.
                context.setProperty(STORE_AFTER, new Written(pending, stored, body));
            } else {
                store(pending.lookup(), stored, body, context.getProperty(ApplicationPipeline.PROPERTY),
                        context.getHeaders(), sent, sentVary(context.getProperty(APPLICATION_VARY),
                                context.getProperty(MERGED_VARY), sent));
            }
        }
        capture.deliver();
    }

    /**
     * The copy of the body was given up: past {@code max-body-size} while the body was still held, no byte and so no
     * header line has gone out, and {@code Cache-Status} says {@code too-large} where it said the response would be
     * stored. (No memory for the copy, or a failed write, changes nothing the client reads.)
     */
    private void givenUp(PendingStore pending, CapturingOutputStream capture, MultivaluedMap<String, Object> headers) {
        if (capture == null || !capture.holding() || !capture.overflowed()) {
            return;
        }
        cache.reportRefusal(pending.lookup(), TOO_LARGE);
        for (Header header : pending.lookup().forwardHeaders(statusHeader, TOO_LARGE, pending.upstream())) {
            headers.putSingle(header.name(), header.value());
        }
    }

    /**
     * Whether the rules refuse the response as the client gets it, with every line a filter, an interceptor or the
     * message body writer added after {@link #STORE_PRIORITY} judged it: the header map is not sent yet (the body is
     * held, or there is none), so {@code Cache-Status} is set again to give the reason, where it said the response
     * would be stored.
     */
    private boolean refusedAsSent(PendingStore pending, List<Header> sent, MultivaluedMap<String, Object> headers) {
        String reason;
        try {
            reason = cache.refusal(pending.lookup(), pending.produced().status(), sent);
        } catch (RuntimeException e) {
            faults.failed(e);
            return true;
        }
        if (reason == null) {
            return false;
        }
        for (Header header : pending.lookup().forwardHeaders(statusHeader, reason, pending.upstream())) {
            headers.putSingle(header.name(), header.value());
        }
        return true;
    }

    /**
     * The {@code Vary} field values the client got beside the stored response's own: those the application's
     * filters added before {@link #STORE_PRIORITY}, and each element a later filter, interceptor or message body
     * writer added after it merged them (a writer's is stored too; the others add theirs again on a hit). The entry
     * answers only requests with the values of this one for them. The elements the cache added itself for its key
     * ({@link SelectionVary}) are keyed already and not recorded.
     */
    private static List<String> sentVary(Object applicationVary, Object mergedVary, List<Header> sent) {
        List<String> vary = new ArrayList<>();
        if (applicationVary instanceof List<?> lines) {
            lines.forEach(line -> vary.add(String.valueOf(line)));
        }
        Set<?> merged = mergedVary instanceof Set<?> known ? known : Set.of();
        for (Header header : sent) {
            if (header.is(HttpHeaders.VARY)) {
                for (String element : varyElements(List.of(header.value()))) {
                    if (!merged.contains(element)) {
                        vary.add(element);
                    }
                }
            }
        }
        return vary;
    }

    /** The elements of {@code Vary} field values, lower case, each once. */
    private static Set<String> varyElements(List<String> lines) {
        Set<String> elements = new LinkedHashSet<>();
        for (String line : lines) {
            for (String element : line.split(",")) {
                String trimmed = element.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    elements.add(trimmed);
                }
            }
        }
        return elements;
    }

    /**
     * The refusal shown before the message body writer ran, judged again on the headers it left: the writer may have
     * set the lifetime that lifts it ({@code Cache-Control} in {@code writeTo}), and then {@code Cache-Status} says
     * the response is stored. The body is still held, so the header map has not been sent yet. Returns the sent
     * headers with the {@code Cache-Status} they now carry. The store, which follows, reports a refusal that holds.
     */
    private List<Header> judgedAgain(PendingStore pending, Produced written, MultivaluedMap<String, Object> headers,
                                     List<Header> sent) {
        String reason = provisionalReason(pending.lookup(), written);
        if (pending.provisional().equals(reason)) {
            return sent;
        }
        List<Header> forwarded = pending.lookup().forwardHeaders(statusHeader, reason, pending.upstream());
        for (Header header : forwarded) {
            headers.putSingle(header.name(), header.value());
        }
        return replaced(sent, forwarded);
    }

    /**
     * Whether a response filter or writer interceptor of the application replaced the entity the method returned (an
     * API envelope around it, a view model rendered from it). The entry holds the bytes written from the replacement,
     * but a hit goes through the same filters and interceptors again with those bytes as its entity: they would
     * replace, wrap or render it a second time. Such a response is not stored. So is the error RESTEasy writes through
     * the interceptors in the method's place when it finds no message body writer for the entity (its 500 would be
     * stored under the method's status). Admitted: Jersey MVC's {@code Viewable} around a {@code @Template} method's
     * model, which a hit does not go through ({@link JerseyTemplates}), as the entity is written. Its template is the
     * one the method's own annotations name, as the first response filter saw them: the annotations the entity is
     * written with are the application's to replace, and an interceptor that puts another {@code @Template} there
     * (a page per language) has Jersey MVC render a template no key covers.
     */
    private boolean entityReplaced(Lookup lookup, Produced produced, Object written, boolean writing) {
        if (written == produced.entity()) {
            return false;
        }
        if (writing && written != null && written.getClass().getName().equals(JerseyTemplates.VIEWABLE)
                && renderedByJerseyMvc(written, produced.entity(), produced.annotations())) {
            return false;
        }
        cache.reportRefusal(lookup, ENTITY_REPLACED);
        return true;
    }

    private static boolean renderedByJerseyMvc(Object written, Object model, Annotation[] annotations) {
        try {
            return JerseyTemplates.renderedModel(written, model, annotations);
        } catch (LinkageError e) {
            // Jersey MVC is not visible from the cache's class loader: not known to be its Viewable.
            return false;
        }
    }

    private boolean contentReadWhileWriting(Lookup lookup, WriterInterceptorContext context) {
        if (ContentRead.happened(context)) {
            // A StreamingOutput read content no header announced (HTTP/2) as it wrote.
            cache.reportRefusal(lookup, "request-body");
            return true;
        }
        return false;
    }

    /**
     * Stores the response, and tells a servlet filter answering early hits in front of the runtime how this path is
     * keyed. A header the runtime cannot format (a user value whose {@code toString} throws) skips the store rather
     * than failing the response, and still releases the requests waiting for this one.
     */
    private void store(Lookup lookup, Produced produced, byte[] body, Object transparent,
                       MultivaluedMap<String, Object> sent, List<Header> sentText, List<String> sentVary) {
        if (sent.containsKey(HttpHeaders.CONTENT_ENCODING)) {
            // An encoder of the application ran (it runs again on every hit): the cache must not compress too.
            lookup.leaveCodingToApplication();
        }
        if (cache.store(lookup, produced.status(), produced.headers(), body, sentVary) != null
                // A path already learned for this method (every miss of another query) is not checked again.
                && !cache.earlyRoutes().knows(lookup, route) && earlyHits.getAsBoolean()
                && Boolean.TRUE.equals(transparent) && produced.status() != ApplicationPipeline.SANITIZED_STATUS
                && !locationResolvedOnTheWayOut(produced.headers()) && sentAsProduced(lookup, produced, sentText)) {
            cache.earlyRoutes().learn(lookup, route);
        }
    }

    /**
     * Whether the method's {@code Location} is not an absolute URI: Jersey resolves such a one against the base URI
     * as it writes the response, after every filter, so the client got another value than the entry holds, and only
     * a hit through the runtime resolves it again. An early hit would replay it as stored, and a client would
     * resolve it against the request's URL instead.
     */
    private static boolean locationResolvedOnTheWayOut(List<Header> produced) {
        for (Header header : produced) {
            if (header.is(HttpHeaders.LOCATION)) {
                try {
                    if (!new URI(header.value()).isAbsolute()) {
                        return true;
                    }
                } catch (URISyntaxException unreadable) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the client got the headers the method produced, with only the cache's own added: then an early hit,
     * which replays the entry without the runtime, sends what the runtime would have. A filter registered for this
     * method alone (by another dynamic feature) shows here.
     */
    private boolean sentAsProduced(Lookup lookup, Produced produced, List<Header> sent) {
        List<String> upstream = new ArrayList<>();
        for (Header header : produced.headers()) {
            if (header.is(Lookup.CACHE_STATUS)) {
                upstream.add(header.value());
            }
        }
        List<Header> expected = new ArrayList<>(lookup.forwardHeaders(statusHeader, null, upstream));
        List<String> vary = new ArrayList<>();
        for (Header header : produced.headers()) {
            if (header.is(Lookup.CACHE_STATUS) || header.is(statusHeader)) {
                continue;
            }
            if (header.is(HttpHeaders.VARY)) {
                vary.add(header.value());
            } else {
                expected.add(header);
            }
        }
        String merged = SelectionVary.merged(lookup, vary);
        if (merged != null) {
            expected.add(new Header(HttpHeaders.VARY, merged));
        } else {
            vary.forEach(value -> expected.add(new Header(HttpHeaders.VARY, value)));
        }
        return sameFieldLines(expected, sent);
    }

    /** The same field lines in any order, names compared without case (a handful: no sorted copies needed). */
    private static boolean sameFieldLines(List<Header> expected, List<Header> sent) {
        int size = expected.size();
        if (sent.size() != size) {
            return false;
        }
        boolean[] matched = new boolean[size];
        for (Header wanted : expected) {
            boolean found = false;
            for (int i = 0; i < size && !found; i++) {
                Header candidate = sent.get(i);
                if (!matched[i] && wanted.is(candidate.name()) && wanted.value().equals(candidate.value())) {
                    matched[i] = true;
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** A Content-Type text and its parsed form (null when it must be replayed as text). */
    private record ReplayedType(String text, MediaType type) {
    }

    /**
     * A miss whose body is to be captured by the writer interceptor, and the response to store with it;
     * {@code provisional}: the refusal shown for the headers before the message body writer ran, which it may lift
     * (null: none), and {@code upstream}, the {@code Cache-Status} members of caches nearer the origin, to show it
     * again without.
     */
    private record PendingStore(Lookup lookup, Produced produced, String provisional, List<String> upstream,
                                boolean withEntity) {
    }

    /**
     * Makes a {@code Vary} the runtime put beside the JAX-RS response (RESTEasy's {@code Request.selectVariant})
     * part of the response the method produced: the entry is then matched on those headers, and a hit sends them
     * again. Left where it was, no hit knew of it (a German page answered a French visitor), and the runtime wrote
     * the response's own {@code Vary} (the cache's names) over it, so that downstream caches never saw it either.
     */
    private static void adoptVaryBesideTheResponse(ContainerRequestContext request,
                                                   ContainerResponseContext response) {
        List<String> beside = RuntimeIntegration.varyBesideTheResponse(request);
        if (beside.isEmpty()) {
            return;
        }
        List<String> own = response.getStringHeaders().get(HttpHeaders.VARY);
        for (String line : beside) {
            if (own == null || !own.contains(line)) {
                response.getHeaders().add(HttpHeaders.VARY, line);
            }
        }
        request.setProperty(ServletResponseView.RUNTIME_VARY, beside);
    }

    /** Takes the tag header off the response (never sent, never stored) and tags the entry with it. */
    private void takeTagHeader(Lookup lookup, ContainerResponseContext response) {
        String name = cache.tagHeader();
        if (name == null) {
            return;
        }
        List<Object> values = response.getHeaders().remove(name);
        if (values != null) {
            for (Object value : values) {
                if (value != null) {
                    lookup.addTags(Invalidations.headerTags(text.text(value)));
                }
            }
        }
    }

    /**
     * Status and headers as the resource method produced them, before any response filter, the entity it returned
     * (compared by identity with the one written) and the annotations it was to be written with (the method's).
     */
    private record Produced(int status, List<Header> headers, Object entity, Annotation[] annotations) {
    }

    /** A written response the rules allowed as the innermost writer interceptor saw it, not stored yet. */
    private record Written(PendingStore pending, Produced produced, byte[] body) {
    }

    /**
     * The outermost writer interceptor, where the application has interceptors of its own: one may add a header line
     * after its {@code proceed()}, once the body is written, and Jersey still sends it when the body was within its
     * buffer (RESTEasy has committed the response by then). The innermost interceptor hands the body on at once, as
     * always, and leaves the store to this one, which judges the lines the client gets after every interceptor.
     * Storing then waits for the body to be handed to the runtime and the container, which for a body past their
     * buffers means for the client; requests coalesced behind it wait as long.
     */
    private final class Sealing implements WriterInterceptor {
        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            if (!(context.getProperty(PENDING) instanceof PendingStore pending)
                    || !Boolean.TRUE.equals(context.getProperty(ApplicationPipeline.INTERCEPTED))) {
                context.proceed();
                return;
            }
            context.setProperty(SEALED, Boolean.TRUE);
            Lookup lookup = pending.lookup();
            // For a refresh, what the application's interceptors throw is told apart from a client that hung up.
            OutputStream original = context.getOutputStream();
            ClientWriteFailures client = lookup.refreshing() ? new ClientWriteFailures(original) : null;
            if (client != null) {
                context.setOutputStream(client);
            }
            boolean written = false;
            try {
                context.proceed();
                written = true;
            } catch (IOException | RuntimeException | Error failure) {
                if (client != null && !client.failed()) {
                    // An interceptor of the application threw after the cache's innermost one returned (or with it,
                    // counted once): the refresh stores nothing, and the runtime may never pass it on (Jersey only
                    // logs it once the response was committed; the runner sees the 500 Jersey answers otherwise). A
                    // WebApplicationException too: the page is not written, whatever its response says.
                    cache.bodyWriterFailed(lookup, applicationsOwn(failure));
                }
                throw failure;
            } finally {
                if (client != null && context.getOutputStream() == client) {
                    // An interceptor may leave its own stream over it for the runtime to close (Jersey's encoders).
                    context.setOutputStream(original);
                }
                context.removeProperty(SEALED);
                Object left = context.getProperty(STORE_AFTER);
                context.removeProperty(STORE_AFTER);
                if (left instanceof Written response) {
                    storeWritten(context, response, written);
                } else if (context.getProperty(PENDING) instanceof PendingStore unwritten) {
                    // An application interceptor wrote the body itself, without proceed(): the innermost interceptor,
                    // which takes the pending store, never ran, and nothing else would release the key.
                    context.removeProperty(PENDING);
                    cache.release(unwritten.lookup());
                }
            }
        }

        /** What the application threw: Jersey wraps an interceptor's exception in one of its own. */
        private static Throwable applicationsOwn(Throwable failure) {
            return failure.getCause() != null && failure.getClass().getName().startsWith("org.glassfish.jersey.")
                    ? failure.getCause() : failure;
        }

        private void storeWritten(WriterInterceptorContext context, Written response, boolean written) {
            Lookup lookup = response.pending().lookup();
            MultivaluedMap<String, Object> headers = context.getHeaders();
            List<Header> sent = written ? sentHeaders(headers) : null;
            if (sent == null || refusedAsSent(response.pending(), sent, headers)) {
                cache.release(lookup);
                return;
            }
            store(lookup, response.produced(), response.body(), context.getProperty(ApplicationPipeline.PROPERTY),
                    headers, sent, sentVary(context.getProperty(APPLICATION_VARY), context.getProperty(MERGED_VARY),
                            sent));
        }
    }

    /**
     * The last response filter: stores a response without an entity that the filter at {@link #STORE_PRIORITY}
     * found storable, once no filter can add a line to it any more (an application's at a priority below that one
     * runs between the two, on a miss as on every hit). A response with an entity is left to the writer interceptor,
     * unless a filter between the two replaced its status or took its entity away: then it is not the response that
     * was judged, and without an entity no writer would run to store it or release the requests waiting for it.
     */
    private final class Verdict implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            // One property read on every response, hit or miss: both kinds of pending store are under one name.
            if (!(request.getProperty(PENDING) instanceof PendingStore pending)) {
                return;
            }
            MultivaluedMap<String, Object> headers = response.getHeaders();
            // An entity or a status set after the filter at STORE_PRIORITY: not the response that was judged.
            String replaced = response.hasEntity() != pending.withEntity() ? ENTITY_REPLACED
                    : response.getStatus() != pending.produced().status() ? STATUS_REPLACED : null;
            if (pending.withEntity() && replaced == null) {
                return;
            }
            request.removeProperty(PENDING);
            if (replaced != null) {
                cache.reportRefusal(pending.lookup(), replaced);
                for (Header header : pending.lookup().forwardHeaders(statusHeader, replaced, pending.upstream())) {
                    headers.putSingle(header.name(), header.value());
                }
            }
            List<Header> sent = replaced == null ? sentHeaders(headers) : null;
            if (sent == null || refusedAsSent(pending, sent, headers)) {
                cache.release(pending.lookup());
                return;
            }
            store(pending.lookup(), pending.produced(), NO_BODY, request.getProperty(ApplicationPipeline.PROPERTY),
                    headers, sent, sentVary(request.getProperty(APPLICATION_VARY), request.getProperty(MERGED_VARY),
                            sent));
        }
    }

    /**
     * Runs before every other response filter and records the response of a miss that may be stored. A header the
     * runtime cannot format (a user value whose {@code toString} throws) records nothing, so nothing is stored.
     */
    private final class Snapshot implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (!(request.getProperty(LOOKUP) instanceof Lookup lookup)) {
                return;
            }
            takeTagHeader(lookup, response);
            if (!lookup.answered()) {
                // Not on a hit (on RESTEasy a thread-local lookup and a map read saved): the method did not run, and
                // what a filter in front of the lookup selected the miss adopted, so the entry replays it.
                adoptVaryBesideTheResponse(request, response);
            }
            if (JaxrsRevalidation.replaced(cache, lookup, request, response, text, replayer)) {
                request.setProperty(LOOKUP, request.getProperty(JaxrsRevalidation.ANSWER));
                return;
            }
            if (lookup.hasStaleOnError() && StaleReplacement.replaced(cache, lookup, request, response, replayer)) {
                request.setProperty(LOOKUP, request.getProperty(StaleReplacement.ANSWER));
                return;
            }
            if (!lookup.mayStore()) {
                return;
            }
            try {
                request.setProperty(PRODUCED,
                        new Produced(response.getStatus(), text.toList(response.getHeaders()),
                                response.getEntity(), response.getEntityAnnotations()));
            } catch (RuntimeException e) {
                faults.failed(e);
            }
        }
    }
}
