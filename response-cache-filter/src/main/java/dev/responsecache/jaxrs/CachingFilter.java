package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The cache around one resource method. As a request filter it answers hits; as a response filter it marks misses
 * and decides whether the body is worth capturing; as a writer interceptor it captures the body as it streams to the
 * client and stores the response once it is complete.
 *
 * <p>A hit given to {@code abortWith} goes through every response filter and writer interceptor of the application
 * again (a CORS filter, Jersey's {@code EncodingFilter} and its encoders). So what is stored is the response as the
 * resource method produced it, before any of them: the headers as the first response filter sees them
 * ({@link SnapshotFilter}) and the body as the innermost writer interceptor sees it (before encoders). Replayed, it
 * composes with the application's filters into what the miss sent, each filter and encoder applied once. The rules
 * that refuse storing are applied to the final headers too, once no filter, interceptor or message body writer can
 * add a line the client gets ({@link VerdictFilter} for a response without an entity, {@link #aroundWriteTo} or
 * {@link SealingInterceptor} for one with), so a {@code Set-Cookie} or {@code no-store} added at any point still
 * prevents storing, and a {@code Vary} added at any point keys the entry. The judgements and the store are
 * {@link MissStore}'s, a hit's {@code Response} is {@link HitReplay}'s.
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

    static final String LOOKUP = "dev.responsecache.lookup";
    static final String PENDING = "dev.responsecache.pending";
    static final String PRODUCED = "dev.responsecache.produced";
    static final String APPLICATION_VARY = "dev.responsecache.application-vary";
    /** The {@code Vary} elements the response carried after {@link #STORE_PRIORITY} merged them (a set). */
    static final String MERGED_VARY = "dev.responsecache.merged-vary";
    /** Set by the outermost writer interceptor ({@link SealingInterceptor}) when the innermost leaves it the store. */
    static final String SEALED = "dev.responsecache.sealed";
    /** The response the innermost writer interceptor found storable, for {@link SealingInterceptor} to store. */
    static final String STORE_AFTER = "dev.responsecache.store-after";
    static final String ENTITY_REPLACED = "entity-replaced";
    static final String STATUS_REPLACED = "status-replaced";
    static final String ANNOTATIONS = "annotations";
    static final String EMPTY_ENTITY = "empty-entity";
    static final String SESSION = "session";
    static final String TOO_LARGE = "too-large";
    /** Jersey's default entity buffer, and no more than Jetty's or Tomcat's response buffer. */
    private static final int BUFFERED_BODY = 8192;

    private final ResponseCache cache;
    private final CachePolicy policy;
    private final Representation representation;
    private final String statusHeader;
    private final EarlyRoutes.Route route;
    private final HitReplay hits;
    private final MissStore miss;
    private final SnapshotFilter snapshot;
    private final VerdictFilter verdict;
    private final SealingInterceptor sealing;
    private final EntityAnnotations annotations;
    /** How the runtime writes header value objects, for the headers read as text. */
    private final JaxrsHeaders text;
    private final FaultLog faults = new FaultLog("response cache (JAX-RS response headers)");
    private List<TagTemplate> tags = List.of();
    private long staleIfErrorDeadline = -1;

    /**
     * @param earlyHits whether the servlet filter may answer this method's entries before the runtime (asked when
     *                  an entry is stored, once every resource method is known)
     */
    CachingFilter(ResponseCache cache, CachePolicy policy, Representation representation, BooleanSupplier earlyHits,
                  JaxrsHeaders text, EntityAnnotations annotations) {
        this.cache = cache;
        this.annotations = annotations;
        this.text = text;
        this.policy = policy;
        this.representation = representation;
        this.statusHeader = cache.settings().statusHeader();
        this.route = new EarlyRoutes.Route(policy, representation::forEarlyHit, representation.oneType(), null);
        this.hits = new HitReplay(statusHeader, annotations);
        this.miss = new MissStore(cache, route, earlyHits, text, faults);
        // The replay bound once: a method reference written in the response filter is a new object per response.
        this.snapshot = new SnapshotFilter(cache, text, faults, hits::replay);
        this.verdict = new VerdictFilter(cache, miss);
        this.sealing = new SealingInterceptor(cache, miss);
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
            return hits.replay(lookup);
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
                request.setProperty(MERGED_VARY,
                        FieldLines.varyElements(vary == null ? applicationVary : List.of(vary)));
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
        String provisional = notStored == null && filtered != null && produced instanceof ProducedResponse original
                ? miss.provisionalReason(lookup, original) : null;
        boolean writerMayLift = provisional != null && response.hasEntity();
        if (provisional != null && !writerMayLift) {
            cache.reportRefusal(lookup, provisional);
            notStored = provisional;
        }
        // The session is read once here: when it was, and created none, the check below need not read it again.
        boolean sessionRead = notStored == null && lookup.mayStore();
        if (sessionRead && MissStore.createdSession(request.getProperty(ContainerSession.PROPERTY))) {
            notStored = SESSION;
            cache.reportRefusal(lookup, notStored);
        }
        if (notStored == null && lookup.mayStore() && ContentRead.happened(request)) {
            // Content no header announced (HTTP/2): the response may depend on it.
            notStored = "request-body";
            cache.reportRefusal(lookup, notStored);
        }
        if (notStored == null && produced instanceof ProducedResponse original) {
            // Jersey MVC replaces a @Template method's model only as it is written, never in a response filter.
            if (miss.entityReplaced(lookup, original, response.getEntity(), false)) {
                notStored = ENTITY_REPLACED;
            } else if (original.status() != status) {
                // A filter set it, perhaps from the entity, which on a hit is the stored bytes: it may not set it
                // again, and the hit would answer the method's status.
                notStored = STATUS_REPLACED;
                cache.reportRefusal(lookup, notStored);
            } else if (!annotations.replayedAlike(original.annotations(),
                    request.getProperty(ApplicationPipeline.PROPERTY))) {
                // An exception mapper's response (the runtime gives it none of the method's annotations), or one the
                // method gave annotations of its own: a hit, carrying the method's, would show the filters others.
                notStored = ANNOTATIONS;
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
        if (notStored != null || !(produced instanceof ProducedResponse original)
                || !cache.mayCapture(lookup, status)) {
            cache.release(lookup);
            return;
        }
        if (unformattable != null) {
            faults.failed(unformattable);
            cache.release(lookup);
            return;
        }
        List<Header> sent = FieldLines.replaced(filtered, forwarded);
        // Deferred to the writer, the whole rules are applied to the headers it leaves (the early ones passed).
        if (!writerMayLift && miss.refusesSent(lookup, status, sent)
                || !sessionRead && miss.createdSession(lookup, request.getProperty(ContainerSession.PROPERTY))) {
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

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(PENDING) instanceof PendingStore pending)) {
            context.proceed();
            return;
        }
        context.removeProperty(PENDING);
        // What the message body writer then sets in the header map reaches the client, and must reach the entry.
        List<Header> beforeWriter = miss.sentHeaders(context.getHeaders());
        OutputStream original = context.getOutputStream();
        // Held, not streamed: the body is stored (and coalesced requests released) before a slow client reads it.
        CapturingOutputStream[] held = new CapturingOutputStream[1];
        CapturingOutputStream capture = cache.hold(original, pending.lookup(),
                () -> miss.givenUp(pending, held[0], context.getHeaders()));
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
        List<Header> sent = body == null || beforeWriter == null ? null : miss.sentHeaders(context.getHeaders());
        if (sent == null || miss.refusedAsSent(pending, sent, context.getHeaders())
                || miss.wroteNothing(pending, body, context.getProperty(ApplicationPipeline.PROPERTY),
                        context.getHeaders())
                || miss.createdSession(pending.lookup(), context.getProperty(ContainerSession.PROPERTY))
                || miss.contentReadWhileWriting(pending.lookup(), context)
                || miss.entityReplaced(pending.lookup(), pending.produced(), context.getEntity(), true)
                || ServletResponseView.outsideJaxrs(context.getProperty(ServletResponseView.PROPERTY), true, null) != null
                || ServletResponseView.outsideJaxrs(context.getProperty(ServletResponseView.RUNTIME_PROPERTY), true,
                        null) != null) {
            cache.release(pending.lookup());
        } else {
            ProducedResponse produced = pending.produced();
            List<Header> withWriters = WriterHeaders.applied(produced.headers(), beforeWriter, sent);
            ProducedResponse stored = withWriters == produced.headers() ? produced
                    : new ProducedResponse(produced.status(), withWriters, produced.entity(), produced.annotations());
            if (pending.provisional() != null) {
                sent = miss.judgedAgain(pending, stored, context.getHeaders(), sent);
            }
            if (Boolean.TRUE.equals(context.getProperty(SEALED))) {
                // An application interceptor outside this one may still add a line the client gets.
                context.setProperty(STORE_AFTER, new WrittenResponse(pending, stored, body));
            } else {
                miss.store(pending.lookup(), stored, body, context.getProperty(ApplicationPipeline.PROPERTY),
                        context.getHeaders(), sent, FieldLines.sentVary(context.getProperty(APPLICATION_VARY),
                                context.getProperty(MERGED_VARY), sent));
            }
        }
        capture.deliver();
    }}
