package dev.responsecache.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of looking a request up: what to answer (a stored response, a 304, or nothing) and, on a miss,
 * whether the response may be stored. Created by {@link ResponseCache#lookup}; the adapters only replay it.
 */
public final class Lookup {

    /** What the cache did with the request. */
    public enum Outcome {
        /** Answered from a fresh entry. */
        HIT,
        /** Answered with 304 Not Modified: the client's {@code If-None-Match} matched the fresh entry. */
        NOT_MODIFIED,
        /** No usable entry; the method runs and its response may be stored. */
        MISS,
        /** The request is not eligible (credentials, a malformed query); the method runs, nothing is stored. */
        BYPASS
    }

    static final String CACHE_NAME = "ResponseCache";
    private static final String BYPASS_DETAIL = "bypass; detail=";
    /** The status header of the last hit: one name per application, so nearly always the one to send. */
    private static volatile Header lastHitHeader = new Header("X-Cache", "HIT");

    private final Outcome outcome;
    private final String detail;
    private final CacheRequest request;
    private final CachePolicy policy;
    private final String key;
    private final CacheEntry entry;
    private final long nowMillis;
    private final InFlight.Claim claim;
    /** Time this request has spent in store calls so far ({@code responsecache.store-budget}). */
    private long storeNanos;
    /** Set once the refusal to store this request's response has been reported to {@link CacheEvents}. */
    private volatile boolean refusalReported;
    private Set<String> tags = Set.of();
    private Long mark;
    /** A stale entry of this very key and Vary that may replace an error of the method (stale-if-error), or null. */
    private CacheEntry staleOnError;
    /** For an answer that replaces an error: the status the method gave (RFC 9211 {@code fwd-status}); else 0. */
    private int replacedStatus;

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
     * The {@code Content-Length} of the answer, or -1 when it has none: a 304, and a stored 204 or 1xx (RFC 9110
     * 8.6). An adapter that frames the body itself sets it; the JAX-RS adapter leaves framing to the runtime, since
     * an encoder of the application may still change the body.
     */
    public long replayContentLength() {
        if (outcome != Outcome.HIT || entry.status() == 204 || entry.status() < 200) {
            return -1;
        }
        return entry.bodyLength();
    }

    public int status() {
        return outcome == Outcome.NOT_MODIFIED ? 304 : entry.status();
    }

    public CacheEntry entry() {
        return entry;
    }

    /**
     * Why the outcome, in one word for metrics (see {@link CacheEvents#lookedUp}): {@code fresh} for an answer, the
     * miss reason, or the bypass reason.
     */
    String reason() {
        if (answered()) {
            return "fresh";
        }
        return detail.startsWith(BYPASS_DETAIL) ? detail.substring(BYPASS_DETAIL.length()) : detail;
    }

    CacheRequest request() {
        return request;
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

    /** Non-null while this request leads its key: others wait for its response. */
    InFlight.Claim claim() {
        return claim;
    }

    /**
     * The headers of the answer: the stored ones (for a 304, only those RFC 9110 15.4.5 keeps), {@code Age}, and
     * the cache status headers. {@code Content-Length} is the adapter's to set from the body.
     */
    public List<Header> replayHeaders(String statusHeader) {
        List<Header> stored = entry.headers();
        List<Header> headers = new ArrayList<>(stored.size() + 3);
        for (Header header : stored) {
            if (outcome == Outcome.HIT || keptOn304(header)) {
                headers.add(header);
            }
        }
        long age = Math.max(0, nowMillis - entry.storedAtMillis()) / 1000;
        headers.add(ReplayHeaders.age(age));
        if (replacedStatus != 0) {
            headers.add(new Header(statusHeader, "STALE"));
            headers.add(new Header("Cache-Status", StaleAnswers.cacheStatus(entry, nowMillis, replacedStatus)));
            return headers;
        }
        Header hit = lastHitHeader;
        if (!hit.name().equals(statusHeader)) {
            hit = new Header(statusHeader, "HIT");
            lastHitHeader = hit;
        }
        headers.add(hit);
        headers.add(ReplayHeaders.hitStatus(entry.remainingMillis(nowMillis) / 1000));
        return headers;
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
        String status = notStored == null || outcome != Outcome.MISS
                ? CACHE_NAME + "; fwd=" + detail
                : CACHE_NAME + "; fwd=" + detail + "; detail=" + notStored;
        return List.of(new Header(statusHeader, "MISS"), new Header("Cache-Status", status));
    }

    private static boolean keptOn304(Header header) {
        return header.is("ETag") || header.is("Cache-Control") || header.is("Expires") || header.is("Vary")
                || header.is("Content-Location");
    }
}
