package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The outcome of looking a request up: what to answer (a stored response, a 304, or nothing) and, on a miss,
 * whether the response may be stored. Created by {@link ResponseCache#lookup}; the adapters only replay it.
 */
public final class Lookup {

    private static final AtomicIntegerFieldUpdater<Lookup> FAILURE_REPORTED =
            AtomicIntegerFieldUpdater.newUpdater(Lookup.class, "failureReported");

    /** What the cache did with the request. */
    public enum Outcome {
        /** Answered from a fresh entry. */
        HIT,
        /** Answered with 304 Not Modified: the client's {@code If-None-Match} matched the fresh entry. */
        NOT_MODIFIED,
        /** No usable entry; the method runs and its response may be stored. */
        MISS,
        /**
         * The request is not eligible (credentials, a malformed query) or, under pressure, its key not admitted
         * ({@link Admission}); the method runs, nothing is stored.
         */
        BYPASS
    }

    static final String CACHE_NAME = "ResponseCache";
    /** The RFC 9211 field: a list of one member per cache on the way, the one nearest the origin first. */
    public static final String CACHE_STATUS = "Cache-Status";
    /** The detail of a request whose {@code only-if-cached} nothing stored can satisfy (RFC 9111 5.2.1.7). */
    static final String ONLY_IF_CACHED = "bypass; detail=only-if-cached";
    /** A request saying no-store (header-driven mode) that the stored entries cannot answer: nothing is kept. */
    static final String NO_STORE = "bypass; detail=no-store";
    /** Evictions failed and are remembered: the store is neither read nor written until they are replayed. */
    static final String EVICTIONS_PENDING = "bypass; detail=evictions-pending";
    /** The store could not be asked (a fault, an open circuit breaker): nothing is known of the key, so no miss. */
    static final String STORE_UNAVAILABLE = "bypass; detail=store-unavailable";
    /**
     * A miss the store is too full to take while its key was not asked for recently ({@link Admission}): a miss for
     * metrics and in {@code Cache-Status}, whose response is refused before the method runs; it runs as a bypass.
     */
    static final String NOT_ADMITTED = "uri-miss; detail=" + Admission.NOT_ADMITTED;
    /** A key whose hit the JAX-RS runtime could not write: its requests pass the cache by for a while. */
    static final String UNWRITABLE = "bypass; detail=error";
    private static final String BYPASS_DETAIL = "bypass; detail=";
    /** The status header of the last hit: one name per application, so nearly always the one to send. */
    private static volatile Header lastHitHeader = new Header("X-Cache", "HIT");
    private static final Header CONTENT_ENCODING_GZIP = new Header("Content-Encoding", "gzip");

    private final Outcome outcome;
    private final String detail;
    /** Set once, before the lookup is handed out: see {@link #asRefresh()}. */
    private boolean refreshing;
    private final CacheRequest request;
    private final CachePolicy policy;
    private final String key;
    private final CacheEntry entry;
    private final long nowMillis;
    private final InFlight.Claim claim;
    /** The answer is the entry's stored gzip bytes ({@link GzipAnswers}). */
    private final boolean gzip;
    /** A miss whose response the application encodes, or may encode, itself: stored as it is, never compressed. */
    private volatile boolean applicationEncodes;
    /** Time this request has spent in store calls so far ({@code responsecache.store-budget}). */
    private long storeNanos;
    /** Set once the refusal to store this request's response has been reported to {@link CacheEvents}. */
    private volatile boolean refusalReported;
    private Set<String> tags = Set.of();
    /** The tags the request determines (path, URL, declared): {@link #tags} less those the response adds. */
    private Set<String> requestTags = Set.of();
    private Long mark;
    /** A stale entry of this very key and Vary that may replace an error of the method (stale-if-error), or null. */
    private CacheEntry staleOnError;
    /** For an answer that replaces an error: the status the method gave (RFC 9211 {@code fwd-status}); else 0. */
    private int replacedStatus;
    /** The deadline this stale answer was given at ({@link #atDeadline}), or 0. */
    private long deadlineMillis;
    /** Header-driven mode: the stale entry a conditional request to the origin may revalidate, or null. */
    private CacheEntry revalidation;
    /** Header-driven mode: freshness left, from the response headers (negative: stale), or null. */
    private Long freshMillis;
    /** The answer is a stored entry the origin has just validated with a 304. */
    private boolean revalidated;
    /** The answer is a stale entry the origin answered with a 304 about another representation (not validated). */
    private boolean notValidated;
    /** For an answer from an entry within its stale-while-revalidate window: true. */
    private boolean revalidating;
    /** For such an answer, when this request won the key's refresh: the miss the adapter runs after answering. */
    private Lookup refresh;
    /** For a refresh run after the answer: its claim is held until it is done, not given up early. */
    private volatile boolean runsAfterAnswer;
    /** For a refresh: 1 once its failure was reported (by whichever of its observers saw it first). */
    private volatile int failureReported;
    /**
     * The response's message body writer (or an application's writer interceptor) threw during a refresh: its page was
     * not written, and what the runtime sends in its place (a {@code WebApplicationException}'s response) is not this
     * refresh's answer to store.
     */
    private volatile boolean writerFailed;
    /** For a refresh of the header-driven mode: run by the origin's rules (it may be asynchronous, and conditional). */
    private boolean inBackground;
    /**
     * For an answer an adapter writes itself: the events it is counted in once the adapter says whether it was
     * written ({@link #written()}, {@link #notWritten()}); null once counted, or when the lookup counted it.
     */
    private volatile CacheEvents countedWhenWritten;
    /** For a stale answer in place of an error counted when written: the outage log told how it turned out. */
    private StaleAnswers staleLog;

    Lookup(Outcome outcome, String detail, CacheRequest request, CachePolicy policy, String key, CacheEntry entry,
           long nowMillis, InFlight.Claim claim) {
        this.outcome = outcome;
        this.detail = detail;
        this.request = request;
        this.policy = policy;
        this.key = key;
        this.entry = entry;
        this.nowMillis = nowMillis;
        this.claim = claim;
        // A 304 to a client that named the identity tag is about the identity representation, and carries its tag.
        this.gzip = entry != null && entry.gzipped() && (outcome == Outcome.HIT || outcome == Outcome.NOT_MODIFIED
                && !GzipAnswers.namesIdentityOnly(entry, request)) && GzipAnswers.serves(entry, request);
    }

    /**
     * True when the answer is the entry's gzip-compressed bytes: {@link #replayHeaders} then carry
     * {@code Content-Encoding: gzip} and the gzip representation's entity tag, {@link #replayContentLength()} its
     * length, and {@link #writeBody} writes it.
     */
    public boolean servesGzip() {
        return gzip;
    }

    /** Writes the body of the answer: the stored gzip bytes when {@link #servesGzip()}, else the identity body. */
    public void writeBody(OutputStream out) throws IOException {
        if (gzip) {
            entry.writeStoredBody(out);
        } else {
            entry.writeBody(out);
        }
    }

    /**
     * For a miss: the response went through an encoder of the application (it carries a {@code Content-Encoding}
     * the stored headers do not show), so it is stored as it is and never compressed by the cache.
     */
    public void leaveCodingToApplication() {
        applicationEncodes = true;
    }

    boolean applicationEncodes() {
        return applicationEncodes;
    }

    /** Whether this is a stale-while-revalidate refresh ({@link #refresh()} of a stale answer). */
    public boolean refreshing() {
        return refreshing;
    }

    /** Marks this miss as the refresh of a stale answer; returns this lookup. */
    Lookup asRefresh() {
        refreshing = true;
        return this;
    }

    /** When the lookup was made, on the cache's clock. */
    long nowMillis() {
        return nowMillis;
    }

    /**
     * True when nothing stored may answer a request that says {@code Cache-Control: only-if-cached}: the adapter
     * answers 504 Gateway Timeout (RFC 9111 5.2.1.7) and does not run the method.
     */
    public boolean onlyIfCachedMiss() {
        return outcome == Outcome.BYPASS && ONLY_IF_CACHED.equals(detail);
    }

    /**
     * The headers to add to the request sent on so that the origin can validate the stale entry of a miss in the
     * header-driven mode ({@code If-None-Match}, {@code If-Modified-Since}); empty when there is nothing to validate
     * or the client sent a range or a precondition other than those two (its request goes on as it is). They
     * replace the client's own {@code If-None-Match} and {@code If-Modified-Since}, which the adapter hides from the
     * origin: the client's tags may be ones the origin never issued (the gzip representation's), and
     * {@link ResponseCache#revalidated} answers them from the refreshed entry. A 304 in reply goes to
     * {@link ResponseCache#revalidated}, any other response is a miss as usual.
     */
    public List<Header> conditionalHeaders() {
        if (revalidation == null || !mayStore() || sentOtherPreconditionOrRange()) {
            return List.of();
        }
        return Rfc9111Rules.conditionalHeaders(revalidation);
    }

    private boolean sentOtherPreconditionOrRange() {
        for (String name : CacheRequest.PRECONDITIONS_AND_RANGE) {
            if (!name.equals("if-none-match") && !name.equals("if-modified-since") && request.header(name) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The headers that make a header-driven background refresh ({@link #refresh()} with
     * {@link #refreshesByHeaders()}) a conditional request for the stale entry ({@code If-None-Match},
     * {@code If-Modified-Since}); empty when it has no validator. Unlike {@link #conditionalHeaders()}, the client's
     * own preconditions do not matter: a refresh runs without them.
     */
    public List<Header> refreshConditionalHeaders() {
        if (revalidation == null || !mayStore()) {
            return List.of();
        }
        return Rfc9111Rules.conditionalHeaders(revalidation);
    }

    /**
     * True for a {@link #refresh()} of the header-driven mode (the response's {@code stale-while-revalidate}): the
     * adapter may let it run asynchronously (a proxy servlet) and revalidates with
     * {@link #refreshConditionalHeaders()}, a 304 going to {@link ResponseCache#revalidated}.
     */
    public boolean refreshesByHeaders() {
        return inBackground;
    }

    Lookup inBackground() {
        this.inBackground = true;
        return this;
    }

    Lookup revalidating(CacheEntry stale) {
        this.revalidation = stale;
        return this;
    }

    CacheEntry revalidation() {
        return revalidation;
    }

    /** Whether the answer's freshness comes from its headers (RFC 9111): every header-driven answer has one. */
    boolean headerDriven() {
        return freshMillis != null;
    }

    Lookup freshFor(long millis) {
        this.freshMillis = millis;
        return this;
    }

    Lookup revalidatedBy304(long freshMillis) {
        this.revalidated = true;
        this.freshMillis = freshMillis;
        return this;
    }

    /** @param freshMillis the stale entry's freshness left, or null for the 504 of an entry that forbids stale use */
    Lookup notValidatedBy304(Long freshMillis) {
        this.notValidated = true;
        this.freshMillis = freshMillis;
        return this;
    }

    /** Notes the time the lookup's store reads took; returns this lookup. */
    Lookup spentInStore(long nanos) {
        storeNanos += nanos;
        return this;
    }

    long storeNanos() {
        return storeNanos;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** True when the cache answers: {@link #status()}, {@link #replayHeaders} and {@link #entry()} say with what. */
    public boolean answered() {
        return outcome == Outcome.HIT || outcome == Outcome.NOT_MODIFIED;
    }

    /** True when the response the method produces may be stored (a GET miss; never HEAD, never a bypass). */
    public boolean mayStore() {
        return outcome == Outcome.MISS && "GET".equals(request.method());
    }

    /** True when the answer carries the stored body (a GET hit with a non-empty body). */
    public boolean answerHasBody() {
        return outcome == Outcome.HIT && entry.bodyLength() > 0 && !"HEAD".equals(request.method());
    }

    /**
     * The {@code Content-Length} of the answer, or -1 when it has none: a stored 204 or 1xx (RFC 9110 8.6). A 304
     * carries the length a 200 to the same request has (the selected representation's), the one value 8.6 allows:
     * left unset, a container frames the empty 304 with {@code Content-Length: 0} (Jetty), a length the
     * representation does not have. That 200 is the gzip bytes whenever the request is offered them, also when its
     * 304 names the identity tag it holds. An adapter that frames the body itself sets it; the JAX-RS adapter leaves
     * framing to the runtime, since an encoder of the application may still change the body.
     */
    public long replayContentLength() {
        if (outcome != Outcome.HIT && outcome != Outcome.NOT_MODIFIED || entry.status() == 204
                || entry.status() < 200) {
            return -1;
        }
        boolean gzipBytes = outcome == Outcome.HIT ? gzip : GzipAnswers.serves(entry, request);
        return gzipBytes ? entry.storedBodyLength() : entry.bodyLength();
    }

    public int status() {
        return outcome == Outcome.NOT_MODIFIED ? 304 : entry.status();
    }

    public CacheEntry entry() {
        return entry;
    }

    /**
     * The outcome as reported (metrics, the debug line): a miss whose store could not be asked is a bypass, as its
     * {@code Cache-Status} says, though it runs like a miss (it coalesces; its response is offered to the store); a
     * key not admitted is a miss, as its {@code Cache-Status} says, though it runs like a bypass.
     */
    Outcome reportedOutcome() {
        if (outcome == Outcome.BYPASS && NOT_ADMITTED.equals(detail)) {
            return Outcome.MISS;
        }
        return outcome == Outcome.MISS && detail.startsWith(BYPASS_DETAIL) ? Outcome.BYPASS : outcome;
    }

    /**
     * Why the outcome, in one word for metrics (see {@link CacheEvents#lookedUp}): {@code fresh} for an answer, the
     * miss reason, or the bypass reason.
     */
    String reason() {
        if (revalidating) {
            return "stale";
        }
        if (answered()) {
            return "fresh";
        }
        if (NOT_ADMITTED.equals(detail)) {
            return "uri-miss";
        }
        return detail.startsWith(BYPASS_DETAIL) ? detail.substring(BYPASS_DETAIL.length()) : detail;
    }

    CacheRequest request() {
        return request;
    }

    /** How the runtime answering the request reads its negotiation headers ({@link CacheRequest#negotiation}). */
    public NegotiationDialect negotiation() {
        return request.negotiation();
    }

    CachePolicy policy() {
        return policy;
    }

    String key() {
        return key;
    }

    /** True the first time only: a refusal is counted once however often the rules are asked. */
    boolean firstRefusal() {
        if (refusalReported) {
            return false;
        }
        refusalReported = true;
        return true;
    }

    /** The tags the response is stored with, and the store's invalidation mark taken before the method ran. */
    Lookup tagged(Set<String> tags, Long mark) {
        this.tags = tags;
        this.requestTags = tags;
        this.mark = mark;
        return this;
    }

    Set<String> tags() {
        return tags;
    }

    /**
     * Adds the tags a resource or servlet gave this response at run time ({@code ResponseCacheInvalidator.RESPONSE_TAGS}:
     * a collection or array of strings; anything else, and a blank or path-like tag, is ignored). Only a miss that may
     * store is tagged.
     */
    public void addTags(Object given) {
        if (given == null || mark == null) {
            return;
        }
        Iterable<?> values = given instanceof Iterable<?> iterable ? iterable
                : given instanceof Object[] array ? Arrays.asList(array) : List.of(given);
        Set<String> added = new LinkedHashSet<>(tags);
        for (Object value : values) {
            if (value instanceof String tag && !tag.isBlank() && !tag.startsWith("/")) {
                added.add(tag);
            }
        }
        tags = Set.copyOf(added);
    }

    /** The tags the response gave itself at run time, which its entry records ({@link CacheEntry#responseTags()}). */
    List<String> responseTags() {
        if (tags.size() == requestTags.size()) {
            return List.of();
        }
        List<String> added = new ArrayList<>(tags.size() - requestTags.size());
        for (String tag : tags) {
            if (!requestTags.contains(tag)) {
                added.add(tag);
            }
        }
        return added;
    }

    /** Null when the store gave no mark: the response is then not stored. */
    Long mark() {
        return mark;
    }

    /** Whether a stale entry may replace an error of the method: see {@link ResponseCache#staleOnError}. */
    public boolean hasStaleOnError() {
        return staleOnError != null;
    }

    CacheEntry staleOnError() {
        return staleOnError;
    }

    Lookup offerOnError(CacheEntry stale) {
        this.staleOnError = stale;
        return this;
    }

    Lookup replacing(int status) {
        this.replacedStatus = status;
        return this;
    }

    /** This answer is counted in {@code events} when the adapter has written it, or could not; returns it. */
    Lookup countedWhenWritten(CacheEvents events) {
        this.countedWhenWritten = events;
        return this;
    }

    /**
     * As {@link #countedWhenWritten(CacheEvents)}, for a stale answer in place of an error: {@code log} is told too,
     * so that the outage is logged as what the client got.
     */
    Lookup countedWhenWritten(CacheEvents events, StaleAnswers log) {
        this.staleLog = log;
        return countedWhenWritten(events);
    }

    /** The status of the error this answer replaces (stale-if-error), or 0. */
    int replacedStatus() {
        return replacedStatus;
    }

    /** Marks an answer given because the method passed its {@code staleIfErrorDeadline} of {@code millis}. */
    Lookup atDeadline(long millis) {
        this.deadlineMillis = millis;
        return this;
    }

    /** What the method did that this stale answer replaces, as the outage log says it. */
    String failureText() {
        return deadlineMillis > 0 ? "did not answer within its staleIfErrorDeadline (" + deadlineMillis + " ms)"
                : "answered " + replacedStatus;
    }

    /**
     * Counts this answer as it was given ({@link CacheEvents#lookedUp}, once per client request: a
     * stale-while-revalidate answer is a hit or a 304 with reason {@code stale}, and nothing more); an answer in place
     * of an error counts as a stale answer of the miss the lookup counted. A refresh run after its answer counts
     * nothing: no client request is answered by it.
     */
    void countIn(CacheEvents events) {
        if (answersNoClient()) {
            return;
        }
        String route = policy.route();
        if (replacedStatus != 0) {
            events.answeredStale(route, "error");
            return;
        }
        events.lookedUp(route, reportedOutcome(), reason());
        if (outcome == Outcome.BYPASS && NOT_ADMITTED.equals(detail)) {
            events.refused(route, Admission.NOT_ADMITTED);
        }
    }

    /**
     * True for a stale-while-revalidate refresh run after its stale answer (in the background, or by a filter once
     * the response is sent): whatever it produces reaches no client, so it is never counted as a request, whatever
     * its outcome; its failure is a refresh's ({@link CacheEvents#refreshFailed}). The client request it refreshes for
     * was counted as its stale answer.
     */
    boolean answersNoClient() {
        return refreshing && runsAfterAnswer;
    }

    /**
     * The adapter wrote this answer: counted now (a hit, a 304, a stale answer), as the client got it. Does nothing
     * for an answer counted already, or by its lookup.
     */
    public void written() {
        CacheEvents events = takeCount();
        if (events != null) {
            countIn(events);
            if (staleLog != null) {
                staleLog.served(this);
            }
        }
    }

    /**
     * The adapter could not write this answer and the request went on as the application alone answers it: a hit is
     * counted as the bypass it became (reason {@code error}, a fault of the cache's own); an answer in place of an
     * error adds nothing to the miss its lookup counted. Does nothing for an answer counted already.
     */
    public void notWritten() {
        CacheEvents events = takeCount();
        if (events != null && answersNoClient()) {
            return;
        }
        if (events != null && replacedStatus == 0) {
            events.lookedUp(policy.route(), Outcome.BYPASS, "error");
        } else if (events != null && staleLog != null) {
            staleLog.notWritten(this);
        }
    }

    /** The events this answer is still to be counted in, once: null when counted already. */
    private CacheEvents takeCount() {
        CacheEvents events = countedWhenWritten;
        if (events == null) {
            return null;
        }
        synchronized (this) {
            events = countedWhenWritten;
            countedWhenWritten = null;
            return events;
        }
    }

    /** Marks an answer from an entry within its stale-while-revalidate window, and the refresh it starts (or null). */
    Lookup answeredWhileRevalidating(Lookup refresh) {
        this.revalidating = true;
        this.refresh = refresh;
        return this;
    }

    /** True for an answer from an expired entry within its stale-while-revalidate window. */
    public boolean revalidating() {
        return revalidating;
    }

    /**
     * The refresh this stale-while-revalidate answer started: a miss of the same request and key that leads the key
     * (no other refresh or miss runs for it meanwhile). The adapter runs the method for it once the client has the
     * whole stale answer, stores the response through {@link ResponseCache#store} (a 5xx, an exception or a refused
     * response stores nothing, and the stale entry stays), and must end it with {@link ResponseCache#release} in
     * every case. Null when another request is refreshing the key, or for a HEAD.
     */
    public Lookup refresh() {
        return refresh;
    }

    /**
     * Marks this {@link #refresh()} as run after the stale answer was sent: the key stays claimed until the adapter
     * calls {@link ResponseCache#endRefresh} (or the response is stored), even when it is known early that nothing
     * will be stored, so that no second refresh starts while this one still runs. Returns this lookup.
     */
    public Lookup runAfterAnswer() {
        runsAfterAnswer = true;
        return this;
    }

    boolean runsAfterAnswer() {
        return runsAfterAnswer;
    }

    /** See {@link #writerFailed}: nothing this lookup produces is stored from now on. */
    void writerFailed() {
        writerFailed = true;
    }

    /** Whether {@link #writerFailed()} was called. */
    boolean hasWriterFailed() {
        return writerFailed;
    }

    /**
     * True the first time only: a refresh fails once, however many of its observers see it (the writer interceptor
     * that saw the body's writer throw, then the runtime's container writer or the runner the exception reaches).
     */
    boolean firstFailureReport() {
        return FAILURE_REPORTED.compareAndSet(this, 0, 1);
    }

    /** Non-null while this request leads its key: others wait for its response. */
    InFlight.Claim claim() {
        return claim;
    }

    /**
     * The stored lines of the answer as the application gave them ({@link #replayHeaders} without {@code Age} and the
     * cache's own fields): for an answer that must go out as the application's own response, when the cache's fields
     * cannot be written with it.
     */
    public List<Header> applicationHeaders() {
        List<Header> headers = new ArrayList<>(entry.headers().size() + 1);
        addStoredLines(headers, false);
        return headers;
    }

    /**
     * The stored lines this answer sends (for a 304, only those RFC 9110 15.4.5 keeps), the {@code Content-Encoding}
     * of a gzip answer, and, unless {@code withoutCacheStatus}, the stored {@code Cache-Status} lines.
     */
    private void addStoredLines(List<Header> headers, boolean withoutCacheStatus) {
        for (Header header : gzip ? entry.gzipHeaders() : entry.headers()) {
            if (withoutCacheStatus && header.is(CACHE_STATUS)) {
                continue;
            }
            if (outcome == Outcome.HIT || keptOn304(header)) {
                headers.add(header);
            }
        }
        if (gzip && outcome == Outcome.HIT) {
            headers.add(CONTENT_ENCODING_GZIP);
        }
    }

    /**
     * The headers of the answer: the stored ones (for a 304, only those RFC 9110 15.4.5 keeps), {@code Age}, and
     * the cache status headers. {@code Content-Length} is the adapter's to set from the body.
     */
    public List<Header> replayHeaders(String statusHeader) {
        return replayHeaders(statusHeader, false);
    }

    /**
     * {@link #replayHeaders(String)}, with the status header and {@code Cache-Status} first when {@code statusFirst}:
     * where the servlet filter's miss has them, set before the servlet runs, so that a hit's lines come in the order
     * its miss sent them. Either way the two are the list's first or last two lines.
     */
    public List<Header> replayHeaders(String statusHeader, boolean statusFirst) {
        List<Header> headers = new ArrayList<>(entry.headers().size() + 4);
        // The members caches nearer the origin gave the stored response come first, this cache's last (RFC 9211 2),
        // in one line. Found once per entry: a hit of an entry without them compares no name.
        String upstream = entry.cacheStatusMembers();
        if (statusFirst) {
            addStatus(headers, statusHeader, upstream);
        }
        addStoredLines(headers, upstream != null);
        long age = Math.max(0, nowMillis - entry.storedAtMillis()) / 1000;
        headers.add(ReplayHeaders.age(age));
        if (!statusFirst) {
            addStatus(headers, statusHeader, upstream);
        }
        return headers;
    }

    /**
     * The {@code Cache-Status} line {@link #replayHeaders} gives this answer: the stored members of caches nearer the
     * origin, then this cache's. For an adapter that finds it among lines others added after the replay.
     */
    public String replayedCacheStatus(String statusHeader) {
        List<Header> lines = new ArrayList<>(2);
        addStatus(lines, statusHeader, entry.cacheStatusMembers());
        return lines.get(1).value();
    }

    /** The status header's line and {@code Cache-Status}'s, after the members of caches nearer the origin. */
    private void addStatus(List<Header> headers, String statusHeader, String upstream) {
        if (revalidating) {
            headers.add(new Header(statusHeader, "STALE"));
            headers.add(member(upstream, CACHE_NAME + "; fwd=stale; ttl="
                    + Math.floorDiv(freshMillis == null ? entry.expiresAtMillis() - nowMillis : freshMillis, 1000)
                    + "; detail=revalidating"));
            return;
        }
        if (replacedStatus != 0) {
            headers.add(new Header(statusHeader, "STALE"));
            headers.add(member(upstream, freshMillis == null
                    ? StaleAnswers.cacheStatus(entry, nowMillis, replacedStatus)
                    : CACHE_NAME + "; fwd=stale; fwd-status=" + replacedStatus + "; ttl="
                    + Math.floorDiv(freshMillis, 1000)));
            return;
        }
        if (notValidated && freshMillis == null) {
            headers.add(new Header(statusHeader, "MISS"));
            headers.add(member(upstream,
                    CACHE_NAME + "; fwd=stale; fwd-status=304; detail=validator-mismatch"));
            return;
        }
        if (notValidated) {
            headers.add(new Header(statusHeader, "STALE"));
            headers.add(member(upstream, CACHE_NAME + "; fwd=stale; fwd-status=304; ttl="
                    + Math.floorDiv(freshMillis, 1000) + "; detail=validator-mismatch"));
            return;
        }
        if (revalidated) {
            headers.add(new Header(statusHeader, "REVALIDATED"));
            headers.add(member(upstream, CACHE_NAME + "; fwd=stale; fwd-status=304; ttl="
                    + Math.floorDiv(freshMillis, 1000)));
            return;
        }
        Header hit = lastHitHeader;
        if (!hit.name().equals(statusHeader)) {
            hit = new Header(statusHeader, "HIT");
            lastHitHeader = hit;
        }
        headers.add(hit);
        Header status = ReplayHeaders.hitStatus(freshMillis == null ? entry.remainingMillis(nowMillis) / 1000
                : Math.floorDiv(freshMillis, 1000));
        headers.add(upstream == null ? status : ReplayHeaders.hitStatus(upstream, status));
    }

    /** The cache status headers of a response that was not answered from the cache. */
    public List<Header> forwardHeaders(String statusHeader) {
        return forwardHeaders(statusHeader, null);
    }

    /**
     * The cache status headers of a response that was not answered from the cache and, when {@code notStored} is
     * not null, will not be stored for that reason (RFC 9211 {@code detail}, e.g. {@code set-cookie}): see
     * {@link ResponseCache#notStoredReason}.
     */
    public List<Header> forwardHeaders(String statusHeader, String notStored) {
        return forwardHeaders(statusHeader, notStored, List.of());
    }

    /**
     * As {@link #forwardHeaders(String, String)}, after the {@code Cache-Status} field lines the application's
     * response carries ({@code upstream}: the members of caches nearer the origin, an upstream cache's behind a
     * proxy, or the application's own). {@code Cache-Status} is a list to which each cache appends its member, the
     * one nearest the origin first, and no cache removes another's (RFC 9211 2): one field line, theirs then this
     * cache's. The status header is this cache's alone: the one the client reads is the outermost cache's.
     */
    public List<Header> forwardHeaders(String statusHeader, String notStored, List<String> upstream) {
        // A miss that passed the store by already carries its detail (RFC 9211 allows one): the reason it was not
        // consulted says more than why its response is not stored.
        String reason = notStored == null || outcome != Outcome.MISS || detail.startsWith(BYPASS_DETAIL) ? null
                : notStored;
        ForwardLines last = lastForwarded;
        if (upstream.isEmpty() && last != null && last.of(statusHeader, detail, reason)) {
            return last.lines();
        }
        String status = reason == null ? CACHE_NAME + "; fwd=" + detail
                : CACHE_NAME + "; fwd=" + detail + "; detail=" + reason;
        List<Header> lines = List.of(new Header(statusHeader, "MISS"), member(upstream(upstream), status));
        if (upstream.isEmpty()) {
            lastForwarded = new ForwardLines(statusHeader, detail, reason, lines);
        }
        return lines;
    }

    /**
     * The lines {@link #forwardHeaders} gave last without a member of a cache nearer the origin: the misses of an
     * application mostly give the same two (a row of refused one-off keys always), built once instead of a
     * concatenation and three objects per response. Immutable, so shared between threads as it is.
     */
    private static volatile ForwardLines lastForwarded;

    private record ForwardLines(String statusHeader, String detail, String reason, List<Header> lines) {
        boolean of(String statusHeader, String detail, String reason) {
            return this.statusHeader.equals(statusHeader) && this.detail.equals(detail)
                    && Objects.equals(this.reason, reason);
        }
    }

    /**
     * The field lines joined into one list value, or null for none: trimmed, empty lines left out, as a hit joins
     * the stored ones ({@link CacheEntry#cacheStatusMembers()}).
     */
    private static String upstream(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        StringBuilder joined = new StringBuilder();
        for (String line : lines) {
            if (line != null && !line.isBlank()) {
                joined.append(joined.isEmpty() ? "" : ", ").append(line.trim());
            }
        }
        return joined.isEmpty() ? null : joined.toString();
    }

    /** This cache's member after those of the caches nearer the origin (null: none). */
    private static Header member(String upstream, String ours) {
        return new Header(CACHE_STATUS, upstream == null ? ours : upstream + ", " + ours);
    }

    private static boolean keptOn304(Header header) {
        return header.is("ETag") || header.is("Cache-Control") || header.is("Expires") || header.is("Vary")
                || header.is("Content-Location");
    }
}
