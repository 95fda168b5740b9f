package dev.responsecache.core;

import dev.responsecache.spi.ResponseStore;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The engine both adapters drive: looks requests up, decides what may be stored, and stores it. It owns the store
 * (wrapped so that any store fault is a miss) and the settings; one instance serves a whole application.
 */
public final class ResponseCache implements AutoCloseable {

    private final CacheSettings settings;
    private final FailSafeStore store;
    private final FaultLog faults = new FaultLog("response cache");
    private final InFlight inFlight;
    private final EarlyRoutes earlyRoutes = new EarlyRoutes(EarlyRoutes.DEFAULT_CAPACITY);

    public ResponseCache(CacheSettings settings, ResponseStore store) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = new FailSafeStore(store);
        this.inFlight = new InFlight(settings.coalesceWait().toNanos());
    }

    /**
     * Reads and checks the settings, opens the configured store, and returns the cache; or returns null when
     * {@code responsecache.enabled=false}.
     *
     * @throws dev.responsecache.ResponseCacheConfigException naming the property and value that are bad
     */
    public static ResponseCache start(PropertyValues properties) {
        CacheSettings settings = CacheSettings.from(properties);
        if (!settings.enabled()) {
            return null;
        }
        return new ResponseCache(settings, StoreLoader.open(settings, properties));
    }

    public CacheSettings settings() {
        return settings;
    }

    /**
     * Looks a GET or HEAD request up. Never throws: a store fault is a miss, and any other fault (a request the
     * rules cannot read) is a bypass.
     */
    public Lookup lookup(CachePolicy policy, CacheRequest request) {
        return lookup(policy, request, true);
    }

    /**
     * Looks a request up without taking part in coalescing: the answer of a component in front of the one that
     * caches (see {@link EarlyRoutes}), which must neither lead a key nor wait for one.
     */
    public Lookup peek(CachePolicy policy, CacheRequest request) {
        return lookup(policy, request, false);
    }

    /** The paths the JAX-RS adapter has stored entries for, with the policy that keyed them. */
    public EarlyRoutes earlyRoutes() {
        return earlyRoutes;
    }

    private Lookup lookup(CachePolicy policy, CacheRequest request, boolean coalesce) {
        long now = settings.clock().millis();
        try {
            return lookup(policy, request, now, coalesce);
        } catch (RuntimeException e) {
            faults.failed(e);
            return bypass("bypass; detail=error", request, policy, now);
        }
    }

    private Lookup lookup(CachePolicy policy, CacheRequest request, long now, boolean coalesce) {
        if (carriesCredentials(request) && !policy.sharedAcrossUsers() && !policy.keyedOnUser()) {
            return bypass("bypass; detail=credentials", request, policy, now);
        }
        String key = CacheKeys.of(request, policy);
        if (key == null) {
            return bypass("bypass; detail=unkeyable", request, policy, now);
        }
        long generation = inFlight.generation();
        CacheEntry entry = store.get(key);
        String miss = FreshnessRules.missReason(entry, key, request, now);
        if (miss != null && coalesce && coalesces(request)) {
            InFlight.Claim claim = inFlight.leadOrWait(key, generation);
            if (claim != null) {
                return new Lookup(Lookup.Outcome.MISS, miss, request, policy, key, null, now, claim);
            }
            // Another request for this key has just run the method: its response is most likely stored now.
            // (A rare second miss here runs the method without leading: nothing waits for this request.)
            now = settings.clock().millis();
            entry = store.get(key);
            miss = FreshnessRules.missReason(entry, key, request, now);
        }
        if (miss != null) {
            return new Lookup(Lookup.Outcome.MISS, miss, request, policy, key, null, now, null);
        }
        Lookup.Outcome outcome = ETags.noneMatchHits(request.header("If-None-Match"), entry.etag())
                ? Lookup.Outcome.NOT_MODIFIED : Lookup.Outcome.HIT;
        return new Lookup(outcome, "hit", request, policy, key, entry, now, null);
    }

    /** Only a GET can lead (a HEAD never stores); a setting of zero turns coalescing off. */
    private boolean coalesces(CacheRequest request) {
        return !settings.coalesceWait().isZero() && "GET".equals(request.method());
    }

    /**
     * Ends this request's lead on its key, waking requests that wait for its response. Adapters call it once the
     * response is stored or known not to be; calling it again, or for a request that does not lead, does nothing.
     */
    public void release(Lookup lookup) {
        inFlight.release(lookup.key(), lookup.claim());
    }

    /** Whether the body of a response with this status is worth capturing for {@link #store}. */
    public boolean mayCapture(Lookup lookup, int status) {
        return lookup.mayStore() && StorageRules.statusAllowed(status, lookup.policy());
    }

    /**
     * Whether a response is worth capturing, judged on its status and on its headers as they stand before the body
     * is written: some runtimes take headers out of the response's header map by then (RESTEasy moves a
     * {@code Set-Cookie} to the servlet response), so the rules that read headers must see them here. Null headers
     * (ones the adapter could not read) are never worth capturing.
     */
    public boolean mayCapture(Lookup lookup, int status, List<Header> headers) {
        return headers != null && mayCapture(lookup, status)
                && StorageRules.refusal(status, headers, lookup.policy()) == null;
    }

    /** A stream that passes every byte to {@code target} and keeps a copy up to the maximum body size. */
    public CapturingOutputStream capture(OutputStream target) {
        return new CapturingOutputStream(target, (int) settings.maxBodyBytes());
    }

    /**
     * Stores the response of a missed request if every rule allows it. Never throws because of the store.
     *
     * @return the stored entry, or null when the response was not stored
     */
    public CacheEntry store(Lookup lookup, int status, List<Header> responseHeaders, byte[] body) {
        try {
            return storeChecked(lookup, status, responseHeaders, body);
        } catch (RuntimeException e) {
            faults.failed(e);
            return null;
        } finally {
            release(lookup);
        }
    }

    private CacheEntry storeChecked(Lookup lookup, int status, List<Header> responseHeaders, byte[] body) {
        if (!lookup.mayStore() || body.length > settings.maxBodyBytes()
                || StorageRules.refusal(status, responseHeaders, lookup.policy()) != null) {
            return null;
        }
        List<Header> kept = new ArrayList<>(responseHeaders.size() + 1);
        for (Header header : responseHeaders) {
            if (HttpHeaders.isStored(header.name(), settings.statusHeader())) {
                kept.add(header);
            }
        }
        if (!HttpHeaders.contains(kept, "ETag")) {
            kept.add(new Header("ETag", ETags.strongFromBody(body, body.length)));
        }
        List<CacheEntry.VaryValue> vary = new ArrayList<>();
        for (String name : HttpHeaders.elements(responseHeaders, "Vary")) {
            String lower = name.toLowerCase(Locale.ROOT);
            vary.add(new CacheEntry.VaryValue(lower, lookup.request().header(lower)));
        }
        long now = settings.clock().millis();
        CacheEntry entry = new CacheEntry(lookup.key(), status, kept, body, now,
                now + lookup.policy().ttl().toMillis(), vary);
        store.put(entry);
        return entry;
    }

    @Override
    public void close() {
        store.close();
    }

    private static boolean carriesCredentials(CacheRequest request) {
        return request.principalName() != null || request.header("Authorization") != null;
    }

    private static Lookup bypass(String detail, CacheRequest request, CachePolicy policy, long now) {
        return new Lookup(Lookup.Outcome.BYPASS, detail, request, policy, null, null, now, null);
    }
}
