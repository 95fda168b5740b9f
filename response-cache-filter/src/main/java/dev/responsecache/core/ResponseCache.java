package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.Ticker;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine both adapters drive: looks requests up, decides what may be stored, and stores it. It owns the store
 * (wrapped so that any store fault is a miss) and the settings; one instance serves a whole application.
 */
public final class ResponseCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    /** Programmatic-only test hook, see {@link #copyBuffers(PropertyValues)}. */
    static final String COPY_BUFFERS = "dev.responsecache.core.copy-buffers";
    /** The refusal of a response to a request saying {@code Cache-Control: no-store} (RFC 9111 5.2.1.5). */
    static final String REQUEST_NO_STORE = "request-no-store";
    /** The refusal of a response that replaced one whose body writer failed ({@link #bodyWriterFailed}). */
    static final String WRITER_FAILED = "writer-failed";

    private final CacheSettings settings;
    /** The settings given explicitly, as the start-up line shows them: what a reopened cache's line compares. */
    private Map<String, Object> given = Map.of();
    /** What the start-up warned had no effect ({@link IdleSettings}), or null: a reopened cache does not warn again. */
    private String idleSettings;
    private final FailSafeStore store;
    private final FaultLog faults;
    private final FaultLog invalidationFaults;
    private final InFlight inFlight;
    private final EarlyRoutes earlyRoutes = new EarlyRoutes(EarlyRoutes.DEFAULT_CAPACITY);
    private final IntFunction<byte[]> copyBuffers;
    private final LongSupplier nanoTime;
    /** The longest one store call can take; 0 for a store in memory, whose calls are not budgeted. */
    private final long callNanos;
    /** {@code responsecache.store-budget}; 0 when not budgeted. */
    private final long budgetNanos;
    private final CacheEvents events;
    private final CacheInvalidator invalidator;
    private volatile boolean invalidatesUnsafe = true;
    /** Coalescing across the instances sharing the store, or null: per instance only. */
    private volatile ClusterFlight cluster;
    private volatile String tagHeader;
    private volatile PurgeAccess purgeAccess = PurgeAccess.OFF;
    private volatile HeaderModeSettings headerMode = HeaderModeSettings.DEFAULTS;
    private volatile Variants variants = new Variants(Variants.DEFAULT_MAX);
    private final StaleAnswers staleAnswers = new StaleAnswers();
    /** Keys whose hit the JAX-RS runtime could not write: served uncached for a while ({@link #hitNotWritten}). */
    private final UnwritableHits unwritableHits = new UnwritableHits();
    private final FaultLog unwritableHitFaults;
    private volatile StaleDeadlines deadlines = new StaleDeadlines(0);
    private volatile Compression compression = Compression.DEFAULT;
    private volatile Admission admission;

    public ResponseCache(CacheSettings settings, ResponseStore store) {
        this(settings, store, byte[]::new, System::nanoTime, null);
    }

    /** @param storeBudget null for the default: one read and one write */
    ResponseCache(CacheSettings settings, ResponseStore store, IntFunction<byte[]> copyBuffers,
                  LongSupplier nanoTime, Duration storeBudget) {
        this(settings, store, copyBuffers, nanoTime, storeBudget, CacheEvents.NONE);
    }

    /** @param storeBudget null for the default: one read and one write */
    ResponseCache(CacheSettings settings, ResponseStore store, IntFunction<byte[]> copyBuffers,
                  LongSupplier nanoTime, Duration storeBudget, CacheEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        this.store = new FailSafeStore(store, nanoTime, events);
        this.faults = new FaultLog("response cache", nanoTime);
        this.invalidationFaults = new FaultLog("response cache invalidation", nanoTime);
        this.unwritableHitFaults = new FaultLog("response cache hits the JAX-RS runtime writes (a line refused in"
                + " front of it)", nanoTime);
        this.inFlight = new InFlight(settings.coalesceWait().toNanos(), nanoTime, events);
        this.copyBuffers = Objects.requireNonNull(copyBuffers, "copyBuffers");
        this.nanoTime = nanoTime;
        this.callNanos = this.store.callBoundNanos();
        this.budgetNanos = callNanos == 0 ? 0 : storeBudget == null ? 2 * callNanos : storeBudget.toNanos();
        if (budgetNanos != 0 && budgetNanos < callNanos) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.STORE_BUDGET,
                    storeBudget.toMillis() + "ms",
                    "at least the store's longest call, " + Duration.ofNanos(callNanos).toMillis() + "ms");
        }
        this.invalidator = new CacheInvalidator(this.store);
        this.admission = new Admission(true, this.store::capacityTier, nanoTime);
    }

    /**
     * Reads and checks the settings, opens the configured store, and returns the cache; or returns null when
     * {@code responsecache.enabled=false}.
     *
     * @throws dev.responsecache.ResponseCacheConfigException naming the property and value that are bad
     */
    public static ResponseCache start(PropertyValues properties) {
        return start(properties, null, null, null, null);
    }

    /**
     * {@link #start(PropertyValues)}, for a cache opened again with settings another component added ({@link
     * SharedCache}): its line says so, for {@code application}, and what changed from the cache it replaces.
     */
    static ResponseCache reopen(PropertyValues properties, String application, ResponseCache replacing) {
        return start(properties, application, replacing.given, replacing.idleSettings, replacing.store.store());
    }

    /**
     * @param warnedBefore what the cache this one replaces warned had no effect (or null): not warned again
     * @param replacedStore the store of the cache this one replaces, still open (or null): what it warned of is not
     *                      warned again ({@link ResponseStore#startedInPlaceOf})
     */
    private static ResponseCache start(PropertyValues properties, String application, Map<String, Object> before,
                                       String warnedBefore, ResponseStore replacedStore) {
        Map<String, Object> given = Collections.synchronizedMap(new TreeMap<>());
        PropertyValues recorded = new PropertyValues(name -> {
            Object value = properties.object(name);
            if (value != null) {
                given.put(name, value);
            }
            return value;
        });
        // Every setting is read and checked before the switch and whatever the store, so that a bad value fails the
        // start-up of a development instance with the cache off or the embedded store, not the production one.
        CacheSettings settings = CacheSettings.from(recorded);
        boolean invalidatesUnsafe = recorded.bool(ResponseCacheProperties.INVALIDATE_UNSAFE, true);
        String tagHeader = TagHeader.checked(recorded);
        PurgeAccess purgeAccess = PurgeAccess.from(recorded);
        HeaderModeSettings headerMode = HeaderModeSettings.from(recorded);
        Variants variants = Variants.from(recorded);
        StaleDeadlines deadlines = StaleDeadlines.from(recorded);
        Compression compression = Compression.from(recorded);
        boolean admits = Admission.enabled(recorded);
        LongSupplier nanoTime = Ticker.from(recorded);
        Duration storeBudget = recorded.duration(ResponseCacheProperties.STORE_BUDGET, null);
        StoreLoader.check(settings, recorded);
        // The lease's and the meter registry's checks without a store, before one is opened (and with the cache off): a
        // bad value found once the store was open had connected to Redis and registered the store's meters for a
        // start-up that then failed.
        ClusterFlight.of(() -> null, recorded, settings.coalesceWait(), nanoTime, CacheEvents.NONE);
        Instrumentation.check(recorded);
        if (!settings.enabled()) {
            LOG.info("Response cache off (" + ResponseCacheProperties.ENABLED + "=false)");
            return null;
        }
        ResponseStore opened = StoreLoader.open(settings, recorded);
        ResponseCache cache;
        try {
            cache = new ResponseCache(settings, opened, copyBuffers(recorded), nanoTime, storeBudget,
                    Instrumentation.events(recorded, opened));
        } catch (RuntimeException | LinkageError e) {
            opened.close();
            throw e;
        }
        cache.invalidatesUnsafe = invalidatesUnsafe;
        try {
            cache.cluster = ClusterFlight.of(cache.store::keyLeases, recorded, settings.coalesceWait(), nanoTime,
                    cache.events);
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
        cache.tagHeader = tagHeader;
        cache.purgeAccess = purgeAccess;
        cache.headerMode = headerMode;
        cache.variants = variants;
        cache.deadlines = deadlines;
        cache.compression = compression;
        cache.admission = new Admission(admits, cache.store::capacityTier, nanoTime);
        synchronized (given) {
            cache.given = Collections.unmodifiableMap(new TreeMap<>(given));
        }
        // The start-up line first, then what is wrong with what it says: an operator reads what was configured, then
        // the warnings (an unreachable Redis was warned of above the line that says Redis is the store).
        LOG.info(before == null ? StartupLine.of(settings, cache.given)
                : StartupLine.reopened(application, before, settings, cache.given));
        try {
            if (replacedStore == null) {
                opened.started();
            } else {
                opened.startedInPlaceOf(replacedStore);
            }
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
        // Said once per store: a cache opened again on a store of the same kind was warned of already.
        boolean evictionsWarned = replacedStore != null && !replacedStore.evicts()
                && replacedStore.getClass().equals(opened.getClass());
        if (!opened.evicts() && !evictionsWarned) {
            LOG.warn("The store '{}' cannot evict entries: invalidation (after unsafe requests, @InvalidatesCache, the"
                    + " invalidator) has no effect on it, and its entries live until their ttl", settings.storeName());
        }
        cache.idleSettings = IdleSettings.of(settings, cache.given, compression, cache.cluster != null,
                cache.callNanos > 0, cache.store.capacityTier() != null);
        if (cache.idleSettings != null && !cache.idleSettings.equals(warnedBefore)) {
            LOG.warn("Response cache settings with no effect (valid, so kept): {}", cache.idleSettings);
        }
        return cache;
    }

    /**
     * Where body copies get their memory: {@code new byte[n]}, unless a test hands in an allocator (an
     * {@code IntFunction<byte[]>} under {@link #COPY_BUFFERS}) that fails, to prove that a copy which cannot be kept
     * never touches the client's bytes. Not a documented setting.
     */
    @SuppressWarnings("unchecked")
    private static IntFunction<byte[]> copyBuffers(PropertyValues properties) {
        return properties.object(COPY_BUFFERS) instanceof IntFunction<?> buffers
                ? (IntFunction<byte[]>) buffers : byte[]::new;
    }

    public CacheSettings settings() {
        return settings;
    }

    /**
     * Looks a GET or HEAD request up. Never throws: a store fault is a miss, and any other fault (a request the
     * rules cannot read) is a bypass.
     */
    public Lookup lookup(CachePolicy policy, CacheRequest request) {
        return lookup(policy, request, List.of());
    }

    /**
     * Looks a GET or HEAD request up; a response stored on a miss is tagged with its path and with {@code tags}
     * filled from the request.
     */
    public Lookup lookup(CachePolicy policy, CacheRequest request, List<TagTemplate> tags) {
        return lookup(policy, request, tags, false);
    }

    /**
     * As {@link #lookup(CachePolicy, CacheRequest, List)}, for an adapter that writes an answer itself and may fail
     * to: the answer is counted once the adapter says it was {@link Lookup#written() written} or
     * {@link Lookup#notWritten() not}, as what the client got.
     */
    public Lookup lookupCountedWhenWritten(CachePolicy policy, CacheRequest request, List<TagTemplate> tags) {
        return lookup(policy, request, tags, true);
    }

    private Lookup lookup(CachePolicy policy, CacheRequest request, List<TagTemplate> tags,
                          boolean countedWhenWritten) {
        Lookup answer = lookup(policy, request, true, countedWhenWritten);
        // A stale-while-revalidate answer stores through the refresh it carries.
        Lookup lookup = answer.refresh() != null ? answer.refresh() : answer;
        if (!lookup.mayStore()) {
            return answer;
        }
        try {
            String path = Invalidations.pathTag(request.rawPath());
            // The tag evictRequest names; null only for a malformed query, which was not keyed and stores nothing.
            String url = Invalidations.requestTag(request.rawPath(), request.rawQuery());
            Set<String> filled;
            if (tags.isEmpty()) {
                // Most methods: no set to grow and copy (a URL tag holds a '?', a path tag never does).
                filled = url == null ? Set.of(path) : Set.of(path, url);
            } else {
                filled = new LinkedHashSet<>();
                filled.add(path);
                if (url != null) {
                    filled.add(url);
                }
                for (TagTemplate tag : tags) {
                    filled.add(tag.tag(request::pathParameter, request.rawQuery()));
                }
            }
            // The mark is a store call too (a round trip to Redis): within the request's budget, or nothing is stored.
            Long mark = null;
            if (withinBudget(lookup.storeNanos())) {
                long started = budgetNanos > 0 ? nanoTime.getAsLong() : 0;
                mark = store.invalidationMark();
                if (budgetNanos > 0) {
                    lookup.spentInStore(nanoTime.getAsLong() - started);
                }
            }
            lookup.tagged(Set.copyOf(filled), mark);
            return answer;
        } catch (RuntimeException e) {
            faults.failed(e);
            return answer;
        }
    }

    /** Evicts entries; one instance serves the whole application, and every instance sharing its store. */
    public dev.responsecache.ResponseCacheInvalidator invalidator() {
        return invalidator;
    }

    /**
     * Whether a successful POST, PUT, PATCH or DELETE evicts the entries of its path and of its {@code Location} and
     * {@code Content-Location} ({@code responsecache.invalidate-unsafe}).
     */
    public boolean invalidatesUnsafe() {
        return invalidatesUnsafe;
    }

    /**
     * The response header that tags the response it is on ({@code responsecache.tag-header}), or null: the adapters
     * take it off every response they forward and add its tags to the entry.
     */
    public String tagHeader() {
        return tagHeader;
    }

    /** Who may {@code PURGE} a URL ({@code responsecache.purge-token} / {@code purge-role}); off by default. */
    public PurgeAccess purgeAccess() {
        return purgeAccess;
    }

    /**
     * Evicts after a successful unsafe request or a method declaring what it invalidates: never throws, logs a store
     * fault once per episode (entries not evicted then live at most their ttl and stale windows).
     */
    public void evictQuietly(Set<String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        try {
            invalidator.evict(tags);
            invalidationFaults.succeeded();
        } catch (RuntimeException e) {
            if (!(e instanceof ResponseCacheInvalidationException failed && failed.remembered())) {
                // A remembered eviction has its own line (RememberedEvictions), once per episode.
                invalidationFaults.failed(e);
            }
        }
    }

    /**
     * Looks a request up without taking part in coalescing: the answer of a component in front of the one that
     * caches (see {@link EarlyRoutes}), which must neither lead a key nor wait for one.
     */
    public Lookup peek(CachePolicy policy, CacheRequest request) {
        if (store.failing()) {
            // The lookup behind this one reads the store anyway: a failing store is not asked twice per request.
            return bypass(Lookup.STORE_UNAVAILABLE, request, policy, settings.clock().millis());
        }
        return lookup(policy, request, false, false);
    }

    /** As {@link #peek}, for an adapter that writes an answer itself: see {@link #lookupCountedWhenWritten}. */
    public Lookup peekCountedWhenWritten(CachePolicy policy, CacheRequest request) {
        if (store.failing()) {
            return bypass(Lookup.STORE_UNAVAILABLE, request, policy, settings.clock().millis());
        }
        return lookup(policy, request, false, true);
    }

    /** The paths the JAX-RS adapter has stored entries for, with the policy that keyed them. */
    public EarlyRoutes earlyRoutes() {
        return earlyRoutes;
    }

    private Lookup lookup(CachePolicy policy, CacheRequest request, boolean coalesce, boolean countedWhenWritten) {
        long now = settings.clock().millis();
        Lookup lookup;
        try {
            if (!store.usableForLookup()) {
                // An eviction failed and is not replayed yet: the store may hold what it condemns. The replay runs in
                // the background; this request does not wait for it.
                lookup = bypass(onlyIfCached(policy, request) ? Lookup.ONLY_IF_CACHED : Lookup.EVICTIONS_PENDING,
                        request, policy, now);
            } else {
                lookup = lookup(policy, request, now, coalesce);
            }
        } catch (RuntimeException e) {
            faults.failed(e);
            lookup = bypass(onlyIfCached(policy, request) ? Lookup.ONLY_IF_CACHED : "bypass; detail=error", request,
                    policy, now);
        }
        // A peek that does not answer is looked up again by the adapter behind it: counted there, once.
        if (coalesce || lookup.answered()) {
            if (events != CacheEvents.NONE) {
                if (countedWhenWritten && lookup.answered()) {
                    // Counted as what the client gets: the adapter may fail to write it, and serve it uncached.
                    lookup.countedWhenWritten(events);
                } else {
                    lookup.countIn(events);
                }
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} {}: {} ({})", request.method(), request.rawPath(), policy.route(),
                        lookup.reportedOutcome(), lookup.reason());
            }
        }
        return lookup;
    }

    /**
     * What {@link #health()} reads: the store, the engine's faults and its own. Never throws: a store that cannot
     * say is reported as it is known from the calls made to it.
     */
    public CacheHealth health() {
        return CacheHealth.of(store.store(), store.faults(), faults, store.failedEvictions(),
                store.lastEvictionFault(), store.rememberedEvictions());
    }

    /** What the engine reports to, {@link CacheEvents#NONE} unless metrics are configured. */
    public CacheEvents events() {
        return events;
    }

    private Lookup lookup(CachePolicy policy, CacheRequest request, long now, boolean coalesce) {
        HeaderModeSettings headers = headerDriven(policy) ? headerMode : null;
        CacheControl directives = headers == null ? CacheControl.NONE
                : CacheControl.ofRequest(request.header("Cache-Control"));
        // RFC 9111 3.5: in the header-driven mode a request with Authorization may be answered, and its response is
        // stored only when the response says it is shared (public, s-maxage, must-revalidate); see storage.
        boolean authorizedOnly = headers != null && request.principalName() == null;
        // RFC 9111 5.2.1.7: a request saying only-if-cached is never forwarded. Whatever would pass the cache by
        // answers it with a 504 instead; its no-store (5.2.1.5) forbids storing, not answering from what is stored.
        boolean onlyIfCached = headers != null && directives.has("only-if-cached");
        if (carriesCredentials(request) && !authorizedOnly && !policy.sharedAcrossUsers() && !policy.keyedOnUser()) {
            return bypass(onlyIfCached ? Lookup.ONLY_IF_CACHED : "bypass; detail=credentials", request, policy, now);
        }
        // RFC 9111 5.2.1.5: nothing a request saying no-store gets is stored. Answered from what is stored when it can
        // be, it neither leads the key (others would wait on a response that is not kept) nor has its body captured.
        boolean noStore = headers != null && directives.has("no-store");
        if (noStore && headers.honourClientRefresh() && !onlyIfCached) {
            return bypass(Lookup.NO_STORE, request, policy, now);
        }
        if (SessionRules.bypasses(request, policy)) {
            return bypass(onlyIfCached ? Lookup.ONLY_IF_CACHED : "bypass; detail=session", request, policy, now);
        }
        if (RequestContent.carried(request)) {
            return bypass(onlyIfCached ? Lookup.ONLY_IF_CACHED : "bypass; detail=request-body", request, policy,
                    now);
        }
        if (OriginPreconditions.carried(request, now)) {
            return bypass(onlyIfCached ? Lookup.ONLY_IF_CACHED : "bypass; detail=precondition", request, policy, now);
        }
        String built = CacheKeys.of(request, policy);
        if (built == null) {
            return bypass(onlyIfCached ? Lookup.ONLY_IF_CACHED : "bypass; detail=unkeyable", request, policy, now);
        }
        // A peek in front that read this key for this request and did not answer: its read is this lookup's. Its key
        // is taken too, equal to the one built here: its hash, computed by the store read, is not computed again
        // (by the admission below, a hash map of the store).
        PeekedRead peeked = request.peekedRead() instanceof PeekedRead read && read.key().equals(built) ? read : null;
        String key = peeked != null ? peeked.key() : built;
        if (unwritableHits.refuses(key, now)) {
            // Its hit could not be written: answered as the application alone answers it, without a store call.
            return bypass(onlyIfCached ? Lookup.ONLY_IF_CACHED : Lookup.UNWRITABLE, request, policy, now);
        }
        long generation;
        CacheEntry entry;
        long spent;
        long[] spentSoFar = {0};
        boolean readShared = false;
        String unasked = null;
        if (peeked != null) {
            // The peek's read stands for this lookup's (the variant it found included).
            generation = peeked.generation();
            entry = peeked.entry();
            spent = peeked.spentNanos();
            readShared = peeked.shared();
            unasked = peeked.unasked();
            if (coalesce) {
                request.keepPeekedRead(null);
            }
        } else {
            generation = inFlight.generation();
            // A near copy is in memory: its read spends none of the store budget, so it is not timed.
            FailSafeStore.Read read = store.readNear(key, now);
            if (read == null) {
                long started = budgetNanos > 0 ? nanoTime.getAsLong() : 0;
                // Past the near tier, which readNear has just read: a near miss reads it once, not twice.
                read = store.readShared(key);
                spentSoFar[0] = budgetNanos > 0 ? nanoTime.getAsLong() - started : 0;
            }
            entry = read.entry();
            unasked = read.bypass();
            entry = variantOr(entry, key, request, spentSoFar);
            spent = spentSoFar[0];
        }
        // A store that could not be asked knows nothing of the key: no miss (RFC 9211 fwd=bypass with the reason),
        // though the request still coalesces, so that an outage does not send every concurrent request to the method.
        String miss = unasked != null ? unasked : missReason(entry, key, request, now, headers, directives, policy);
        if (miss != null && headers != null && entry != null && !readShared && store.hasNearTier()
                && withinBudget(spent)) {
            // A near copy is kept to its retention, past the freshness only its headers tell: stale here, it may
            // hide another instance's refresh (one refresh per cluster), which the shared store holds.
            long sharedStarted = budgetNanos > 0 ? nanoTime.getAsLong() : 0;
            FailSafeStore.Read shared = store.readShared(key);
            spentSoFar[0] = spent + (budgetNanos > 0 ? nanoTime.getAsLong() - sharedStarted : 0);
            if (Lookup.STORE_UNAVAILABLE.equals(shared.bypass())) {
                // The shared store could not be asked (Redis refusing, slow, its breaker open, while the eviction
                // feed keeps the near tier coherent): no sign the near copy is gone, so it stands, as it would had
                // the budget left no time for this read.
                spent = spentSoFar[0];
            } else {
                readShared = true;
                entry = variantOr(shared.entry(), key, request, spentSoFar, true);
                spent = spentSoFar[0];
                miss = shared.bypass() != null ? shared.bypass()
                        : missReason(entry, key, request, now, headers, directives, policy);
            }
        }
        boolean refused = negotiationRefused(entry, request, !coalesce);
        if (!coalesce && (miss != null || refused) && request.peekedRead() == null) {
            // A peek's refusal is kept too: the runtime's own lookup behind it judges the same entry as it reads.
            request.keepPeekedRead(new PeekedRead(key, entry, generation, spent, readShared, unasked));
        }
        if (refused) {
            // Before any answer from the entry: a hit, a 304, a stale one, a revalidation, one in place of an error.
            return bypass(onlyIfCached ? Lookup.ONLY_IF_CACHED : "bypass; detail=precondition", request, policy, now)
                    .spentInStore(spent);
        }
        if (miss != null && coalesce && headers != null
                && whileRevalidatingByHeaders(entry, key, request, now, headers, directives, policy)) {
            return whileRevalidating(entry, request, policy, key, now, generation, spent, headers, !noStore);
        }
        if (onlyIfCached && miss != null) {
            return bypass(Lookup.ONLY_IF_CACHED, request, policy, now);
        }
        if (noStore && miss != null) {
            return bypass(Lookup.NO_STORE, request, policy, now);
        }
        // Admission under pressure: a key the store holds nothing for, not asked for recently, passes the cache by
        // (no claim, no capture, nothing stored) while the store evicts. Only the lookup that may store decides: a
        // peek in front leaves it to the lookup behind, which would otherwise take the peek's sighting for a second.
        if (miss != null && coalesce && unasked == null && (entry == null || !entry.key().equals(key))
                && "GET".equals(request.method()) && !admission.admits(key)) {
            return new Lookup(Lookup.Outcome.BYPASS, Lookup.NOT_ADMITTED, request, policy, null, null, now, null)
                    .spentInStore(spent);
        }
        if (miss != null && coalesce && headers == null && revalidatable(entry, key, request, now)) {
            return whileRevalidating(entry, request, policy, key, now, generation, spent, null, true);
        }
        if (miss != null && coalesce && coalesces(request)) {
            InFlight.Turn turn = inFlight.take(key, generation);
            ClusterFlight cluster = this.cluster;
            // A request that waits for a leader (this instance's, or another instance's lease): a read that a peek
            // in front of it kept for a lookup behind it (an early path, then a cache filter, then the runtime) is
            // older than that wait and no longer stands for the store; taken as a miss, it would run the method
            // again. A leader that did not wait keeps it, as its lookup behind would read the same.
            if (turn.lead() == null) {
                request.keepPeekedRead(null);
            }
            CacheEntry fromCluster = null;
            if (turn.lead() != null && cluster != null) {
                spentSoFar[0] = spent;
                fromCluster = cluster.lead(key, turn.lead(),
                        () -> readFresh(key, request, spentSoFar, headers, directives, policy),
                        () -> request.keepPeekedRead(null));
                spent = spentSoFar[0];
                if (fromCluster != null) {
                    request.keepPeekedRead(null);
                    // Another instance ran the method: this instance's followers read its entry themselves (an entry
                    // read, not produced here, has no mark to tell them whether an eviction came since).
                    inFlight.release(key, turn.lead());
                }
            }
            if (turn.lead() != null && fromCluster == null) {
                if (cluster != null) {
                    // Waiting for another instance's lease is not the origin's time: the request starts now.
                    now = settings.clock().millis();
                }
                Lookup lead = new Lookup(Lookup.Outcome.MISS, miss, request, policy, key, null, now, turn.lead())
                        .spentInStore(spent);
                return headerDrivenMiss(lead, entry, request, now, headers,
                        usableOnError(entry, key, request, now, headers, policy));
            }
            // Another request for this key has just run the method. What it stored is handed over unless an eviction
            // came after its method began; otherwise its response is most likely stored now.
            // (A rare second miss here runs the method without leading: nothing waits for this request.)
            now = settings.clock().millis();
            spentSoFar[0] = spent;
            entry = fromCluster != null ? fromCluster : handedUnlessEvicted(turn, spentSoFar);
            spent = spentSoFar[0];
            miss = missReason(entry, key, request, now, headers, directives, policy);
            if (miss != null && withinBudget(spent)) {
                long started = nanoTime.getAsLong();
                FailSafeStore.Read read = store.read(key);
                spentSoFar[0] = spent + nanoTime.getAsLong() - started;
                entry = variantOr(read.entry(), key, request, spentSoFar);
                spent = spentSoFar[0];
                miss = read.bypass() != null ? read.bypass()
                        : missReason(entry, key, request, now, headers, directives, policy);
            }
            if (negotiationRefused(entry, request, false)) {
                // The entry a leader handed over, or one read since the wait: judged as the first read was.
                return bypass("bypass; detail=precondition", request, policy, now).spentInStore(spent);
            }
        }
        if (miss != null) {
            Lookup missed = new Lookup(Lookup.Outcome.MISS, miss, request, policy, key, null, now, null)
                    .spentInStore(spent);
            return headerDrivenMiss(missed, entry, request, now, headers,
                    usableOnError(entry, key, request, now, headers, policy));
        }
        if (admission.underPressure() && "GET".equals(request.method())) {
            // A hot key's sighting is renewed near its entry's expiry, so that its next miss is admitted (every hit
            // path, the peeks in front and the servlet filter's included, answers here).
            admission.hit(key, entry.storedAtMillis(), entry.expiresAtMillis(), now);
        }
        Lookup.Outcome outcome = answered(entry, request, now);
        Lookup hit = new Lookup(outcome, "hit", request, policy, key, entry, now, null);
        return headers == null ? hit
                : hit.freshFor(Rfc9111Rules.remainingMillis(now, entry, headers, policy.ttl().toMillis()));
    }

    /**
     * The entry the leader a request waited for handed over, if no eviction came since the leader took its mark
     * (before its method began): the store's mark is read again and must not have moved. Otherwise null, and the
     * request reads the store. An entry stored and then evicted while its leader was still releasing the key must
     * not answer a request that began after the eviction (the store no longer holds it). Not knowing the mark (an
     * entry another instance stored, read by the leader) means reading too. One volatile read on Ehcache; on a
     * shared store one call, as the store read it replaces, within the request's budget.
     */
    private CacheEntry handedUnlessEvicted(InFlight.Turn turn, long[] spent) {
        if (turn.handed() == null || turn.handedMark() == null || !withinBudget(spent[0])) {
            return null;
        }
        long started = budgetNanos > 0 ? nanoTime.getAsLong() : 0;
        Long mark = store.invalidationMark();
        if (budgetNanos > 0) {
            spent[0] += nanoTime.getAsLong() - started;
        }
        // Long.MIN_VALUE is a store that cannot tell (Redis unreachable, its circuit open): equal marks prove nothing.
        return mark != null && mark != Long.MIN_VALUE && turn.handedMark().equals(mark) ? turn.handed() : null;
    }

    /**
     * RFC 9111 5.2.1.7: whether the request says only-if-cached in the header-driven mode, so that a store the lookup
     * cannot read (evictions remembered, a fault) answers it with a 504 rather than passing it on: nothing cached
     * is what the client asked to be told. Never throws: a header it cannot read is no directive.
     */
    private boolean onlyIfCached(CachePolicy policy, CacheRequest request) {
        try {
            return headerDriven(policy) && CacheControl.ofRequest(request.header("Cache-Control"))
                    .has("only-if-cached");
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** Whether a policy takes its freshness from the response headers (RFC 9111 shared cache). */
    private boolean headerDriven(CachePolicy policy) {
        return policy.ttlFromHeaders() || headerMode.everywhere();
    }

    /**
     * {@link FreshnessRules#missReason}, then, for the header-driven mode, whether the response headers and the
     * request's directives let the entry answer (null when they do).
     */
    private static String missReason(CacheEntry entry, String key, CacheRequest request, long now,
                                     HeaderModeSettings headers, CacheControl directives, CachePolicy policy) {
        String miss = FreshnessRules.missReason(entry, key, request, now);
        if (miss != null || headers == null) {
            return miss;
        }
        Rfc9111Rules.Use use = Rfc9111Rules.use(now, directives, entry, headers, policy.ttl().toMillis());
        return use == Rfc9111Rules.Use.FRESH || use == Rfc9111Rules.Use.STALE_SERVABLE ? null : "stale";
    }

    /**
     * A miss of the header-driven mode offers its stale entry for revalidation when it has a validator, key and
     * Vary match, and it is still kept (see {@link Rfc9111Rules#storage}).
     */
    private static Lookup headerDrivenMiss(Lookup miss, CacheEntry entry, CacheRequest request, long now,
                                           HeaderModeSettings headers, boolean usableOnError) {
        Lookup offered = usableOnError ? miss.offerOnError(entry) : miss;
        if (headers != null && entry != null && entry.key().equals(miss.key()) && now < entry.expiresAtMillis()
                && FreshnessRules.varyMatches(entry, request) && Rfc9111Rules.hasValidator(entry.headers())) {
            offered.revalidating(entry);
        }
        return offered;
    }

    /**
     * The stored entry for {@code key} if it answers {@code request}, else null; read only within the request's store
     * budget, whose {@code spent[0]} it adds to.
     */
    private CacheEntry readFresh(String key, CacheRequest request, long[] spent, HeaderModeSettings headers,
                                 CacheControl directives, CachePolicy policy) {
        if (!withinBudget(spent[0])) {
            return null;
        }
        long started = nanoTime.getAsLong();
        // Under the lease, past this instance's near copy: another instance may have refreshed the key since.
        CacheEntry entry = store.getShared(key);
        spent[0] += nanoTime.getAsLong() - started;
        entry = variantOr(entry, key, request, spent, true);
        return missReason(entry, key, request, settings.clock().millis(), headers, directives, policy) == null
                ? entry : null;
    }

    /**
     * {@code primary}, the entry read at {@code key}, or when it was stored for other values of the headers it varies
     * on, the variant stored for this request's values ({@link Variants}): a second read, within the budget.
     */
    private CacheEntry variantOr(CacheEntry primary, String key, CacheRequest request, long[] spent) {
        return variantOr(primary, key, request, spent, false);
    }

    /** @param shared read past this instance's near copy ({@link FailSafeStore#getShared}) */
    private CacheEntry variantOr(CacheEntry primary, String key, CacheRequest request, long[] spent,
                                 boolean shared) {
        String variantKey = variants.keyFor(primary, key, request);
        if (variantKey == null || !withinBudget(spent[0])) {
            return primary;
        }
        long started = budgetNanos > 0 ? nanoTime.getAsLong() : 0;
        CacheEntry variant = Variants.answering(shared ? store.getShared(variantKey) : store.get(variantKey),
                variantKey, key);
        if (budgetNanos > 0) {
            spent[0] += nanoTime.getAsLong() - started;
        }
        return variant != null ? variant : primary;
    }

    /** A stale entry of this very key and Vary values, within its stale-while-revalidate window. */
    private static boolean revalidatable(CacheEntry entry, String key, CacheRequest request, long now) {
        return entry != null && entry.key().equals(key) && Staleness.of(entry, now).servesWhileRevalidating()
                && FreshnessRules.varyMatches(entry, request);
    }

    /**
     * The header-driven form of {@link #revalidatable}: a stale entry of this very key and Vary values, still kept,
     * that the response's {@code stale-while-revalidate} lets answer this request (RFC 5861 3; never past
     * {@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage} or {@code no-cache}, nor for a client's
     * reload when those are honoured: see {@link Rfc9111Rules#use}).
     */
    private static boolean whileRevalidatingByHeaders(CacheEntry entry, String key, CacheRequest request, long now,
                                                      HeaderModeSettings headers, CacheControl directives,
                                                      CachePolicy policy) {
        return entry != null && entry.key().equals(key) && now < entry.expiresAtMillis()
                && FreshnessRules.varyMatches(entry, request)
                && Rfc9111Rules.use(now, directives, entry, headers, policy.ttl().toMillis())
                == Rfc9111Rules.Use.STALE_WHILE_REVALIDATE;
    }

    /**
     * Answers from the stale entry at once (a 304 when the client's tag matches a stored 2xx). A GET that finds no
     * miss or refresh leading the key takes the lead, without waiting, and carries the refresh to run; everyone else
     * just gets the stale answer. The refresh is a miss of this very request, so it runs with the same request (the
     * same path, query and every value the key is built from) and is stored with the usual rules and invalidation
     * mark; it may also be replaced by the entry on an error, within stale-if-error. In the header-driven mode
     * ({@code headers} not null) the refresh carries the entry to revalidate when it has a validator, and the
     * answer's {@code Cache-Status} reads its freshness from the stored headers. A request whose response may not be
     * stored ({@code mayLead} false: it says no-store) is only answered: its refresh would be thrown away, and the
     * claim it held would keep the key from a request whose refresh is kept.
     */
    private Lookup whileRevalidating(CacheEntry entry, CacheRequest request, CachePolicy policy, String key,
                                     long now, long generation, long spent, HeaderModeSettings headers,
                                     boolean mayLead) {
        Lookup refresh = null;
        ClusterFlight cluster = this.cluster;
        if (mayLead && "GET".equals(request.method()) && (cluster == null || !cluster.refreshedElsewhere(key))) {
            InFlight.Claim claim = inFlight.tryLead(key, generation,
                    refreshKeepNanos(entry, now, headers, policy.ttl().toMillis()));
            if (claim != null) {
                refresh = new Lookup(Lookup.Outcome.MISS, "stale", request, policy, key, null, now, claim)
                        .spentInStore(spent).asRefresh();
                if (headers != null) {
                    refresh = headerDrivenMiss(refresh, entry, request, now, headers,
                            usableOnError(entry, key, request, now, headers, policy)).inBackground();
                } else if (usableOnError(entry, key, request, now, null, policy)) {
                    refresh.offerOnError(entry);
                }
            }
        }
        Lookup.Outcome outcome = answered(entry, request, now);
        Lookup answer = new Lookup(outcome, "stale", request, policy, key, entry, now, null)
                .answeredWhileRevalidating(refresh);
        return headers == null ? answer
                : answer.freshFor(Rfc9111Rules.remainingMillis(now, entry, headers, policy.ttl().toMillis()));
    }

    /**
     * How long a refresh's claim (and cluster lease) stands before another refresh may take it over: until the end of
     * the entry's stale-while-revalidate window, the time its stale answers cover (at least {@code coalesce-wait}).
     * Past the window the key is a miss, which takes the claim over after {@code coalesce-wait} as any miss does.
     * A header-driven entry ({@code headers} not null) is kept past its freshness, to its retention: its window is
     * the freshness its stored headers leave plus their {@code stale-while-revalidate}.
     */
    static long refreshKeepNanos(CacheEntry entry, long now, HeaderModeSettings headers, long capMillis) {
        long windowLeft = headers == null
                ? entry.staleWindows().whileRevalidateMillis() - (now - entry.expiresAtMillis())
                : Rfc9111Rules.remainingMillis(now, entry, headers, capMillis)
                + Math.max(0, CacheControl.of(entry.headers()).seconds("stale-while-revalidate"));
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, windowLeft));
    }

    /** A stale entry of this very key and Vary values, within its stale-if-error window. */
    private static boolean usableOnError(CacheEntry entry, String key, CacheRequest request, long now,
                                         HeaderModeSettings headers, CachePolicy policy) {
        if (entry == null || !entry.key().equals(key) || !FreshnessRules.varyMatches(entry, request)) {
            return false;
        }
        return headers == null ? Staleness.of(entry, now).servesOnError()
                : now < entry.expiresAtMillis() && Rfc9111Rules.servesOnError(now,
                CacheControl.ofRequest(request.header("Cache-Control")), entry, headers, policy.ttl().toMillis());
    }

    /**
     * When the method of a missed request failed with {@code status} (a 5xx, or 500 for an exception) and a stale
     * entry of the same key may replace the error (stale-if-error), the answer to give instead: the stored status,
     * headers and body, or a 304. Null when the error goes to the client. Releases requests coalesced behind this
     * one; the adapter must not store anything for it. Never throws.
     */
    public Lookup staleOnError(Lookup lookup, int status) {
        return staleOnError(lookup, status, false);
    }

    /**
     * As {@link #staleOnError(Lookup, int)}, for an adapter that writes the answer itself and may fail to: it is
     * counted as a stale answer once the adapter says it was {@link Lookup#written() written}.
     */
    public Lookup staleOnErrorCountedWhenWritten(Lookup lookup, int status) {
        return staleOnError(lookup, status, true);
    }

    private Lookup staleOnError(Lookup lookup, int status, boolean countedWhenWritten) {
        try {
            if (!lookup.hasStaleOnError() || status < 500 || !stillStored(lookup)) {
                return null;
            }
            long now = settings.clock().millis();
            Lookup answer = headerDriven(lookup.policy())
                    ? staleAnswers.answer(lookup, status, now, usableOnError(lookup.staleOnError(), lookup.key(),
                    lookup.request(), now, headerMode, lookup.policy()))
                    : staleAnswers.answer(lookup, status, now);
            if (answer != null && headerDriven(lookup.policy())) {
                answer.freshFor(Rfc9111Rules.remainingMillis(now, answer.entry(), headerMode,
                        lookup.policy().ttl().toMillis()));
            }
            if (answer != null) {
                release(lookup);
                if (lookup.answersNoClient()) {
                    // A refresh run after its answer: its stale answer reaches no client, so it is neither counted
                    // as a request nor logged as served (the refresh's own failure is reported as such).
                    return answer;
                }
                if (countedWhenWritten) {
                    // Logged as it turns out: a stale answer the adapter could not write served nothing stale.
                    answer.countedWhenWritten(events, staleAnswers);
                } else {
                    answer.countIn(events);
                    staleAnswers.served(answer);
                }
            }
            return answer;
        } catch (RuntimeException e) {
            faults.failed(e);
            return null;
        }
    }

    /**
     * Whether the store still holds the stale entry a failed miss offers, as it was read: an eviction while the
     * method ran (of its path, URL, a tag, or everything) declared it stale for good, and it must not answer after
     * that, as no later lookup would find it. One read of the key (and of its variant), within the request's store
     * budget; past the budget it cannot be told, and the error goes to the client. A store that could not be asked
     * (a fault, or one it reported itself: Redis down, its breaker open) does not tell an eviction either: the entry
     * answers, as it would have before the fault, unless an eviction failed meanwhile and is remembered.
     */
    private boolean stillStored(Lookup lookup) {
        CacheEntry offered = lookup.staleOnError();
        long[] spent = {lookup.storeNanos()};
        if (!withinBudget(spent[0])) {
            return false;
        }
        long started = budgetNanos > 0 ? nanoTime.getAsLong() : 0;
        FailSafeStore.Read read = store.read(lookup.key());
        spent[0] += budgetNanos > 0 ? nanoTime.getAsLong() - started : 0;
        if (read.bypass() != null) {
            lookup.spentInStore(spent[0] - lookup.storeNanos());
            // Remembered evictions (EVICTIONS_PENDING, or one failed since this read) may condemn the entry.
            return Lookup.STORE_UNAVAILABLE.equals(read.bypass()) && store.rememberedEvictions() == 0;
        }
        CacheEntry current = variantOr(read.entry(), lookup.key(), lookup.request(), spent);
        lookup.spentInStore(spent[0] - lookup.storeNanos());
        if (current == null) {
            return false;
        }
        return current.key().equals(offered.key()) && current.storedAtMillis() == offered.storedAtMillis()
                && FreshnessRules.varyMatches(current, lookup.request());
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
        if (!lookup.runsAfterAnswer()) {
            endLead(lookup, null);
        }
    }

    /**
     * Called by the adapter once the stale answer is complete, just before it runs {@code refresh}: whether this
     * instance runs it. False when another instance sharing the store holds the key (it refreshes it, or runs the
     * miss that stores it): the refresh is then ended here and the adapter runs nothing. True otherwise, including
     * when the store offers no leases or cannot be asked (each instance refreshes, as without leases). Never throws;
     * at most one bounded store call.
     */
    public boolean beginRefresh(Lookup refresh) {
        ClusterFlight cluster = this.cluster;
        if (cluster == null || refresh.claim() == null) {
            return true;
        }
        long[] spent = {refresh.storeNanos()};
        // Header-driven entries are kept past their freshness, which only their stored headers tell.
        HeaderModeSettings headers = headerDriven(refresh.policy()) ? headerMode : null;
        boolean mine = cluster.mayRefresh(refresh.key(), refresh.claim(), () -> readFresh(refresh.key(),
                refresh.request(), spent, headers, CacheControl.NONE, refresh.policy()));
        refresh.spentInStore(spent[0] - refresh.storeNanos());
        if (mine) {
            return true;
        }
        endRefresh(refresh);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}: refreshed by another instance", refresh.request().rawPath(), refresh.policy().route());
        }
        return false;
    }

    /**
     * Reports that {@code refresh}, run after its stale answer, failed with {@code failure} (as the adapter unwrapped
     * it), for metrics; the adapter logs it. Never throws.
     */
    public void refreshFailed(Lookup refresh, Throwable failure) {
        if (!refresh.firstFailureReport()) {
            // Seen already by another observer of the same refresh (see bodyWriterFailed).
            return;
        }
        String kind = failure.getClass().getSimpleName();
        events.refreshFailed(refresh.policy().route(), kind.isEmpty() ? failure.getClass().getName() : kind);
    }

    /**
     * The message body writer of {@code lookup}'s response threw {@code failure} before the body was complete, or an
     * application's writer interceptor around it did (not a write to the client that failed: the adapter tells those
     * apart). For a stale-while-revalidate refresh, inline
     * or run after its answer, that is the refresh's failure, counted here at once: the runtime may never pass it on
     * (Jersey only logs an exception thrown once the response was committed, as it is past the maximum body size,
     * and answers an inline refresh's with a 500). Counted once per refresh with what else reports it
     * ({@link #refreshFailed}). Whatever the lookup, nothing it produces is stored from then on
     * ({@code writer-failed}): the runtime answers the failure with an exception mapper's response (a 200 page, say),
     * passed through the filters again for the same lookup, which would otherwise store that page as the answer of
     * a method whose own answer was never complete. Never throws.
     */
    public void bodyWriterFailed(Lookup lookup, Throwable failure) {
        lookup.writerFailed();
        if (lookup.refreshing()) {
            refreshFailed(lookup, failure);
        }
    }

    /**
     * The end of {@code refresh} now depends on an event that may never come (its asynchronous cycle's end, which a
     * container may fail to report): its claim on the key, and its cluster lease with it, stand no longer than
     * {@code nanos} from now (measured on the ticker; never past the end of its stale-while-revalidate window, nor less
     * than {@code coalesce-wait} after it was taken). Past that, the next stale answer of the key starts another
     * refresh, and {@code lapsed} is told once, on that request's thread, that this one never ended; an
     * {@link #endRefresh} before then cancels it. Called again (a new cycle), it moves that end. Never throws.
     */
    public void refreshEndsWithin(Lookup refresh, long nanos, Runnable lapsed) {
        long bound = Math.max(0, nanos);
        refreshEndsWithin(refresh, () -> bound, lapsed);
    }

    /**
     * As {@link #refreshEndsWithin(Lookup, long, Runnable)}, for a wait whose bound may still grow after it started
     * (a servlet may set an asynchronous cycle's timeout after it started the cycle): {@code nanos} is asked now, and
     * asked again, from now, once the claim reaches the end it gave, so that a holder given longer since is not taken
     * over while it runs. It must not throw, and is asked on any thread.
     */
    public void refreshEndsWithin(Lookup refresh, LongSupplier nanos, Runnable lapsed) {
        InFlight.Claim claim = refresh.claim();
        if (claim == null) {
            return;
        }
        claim.endsWithin(nanoTime.getAsLong(), nanos, () -> {
            try {
                lapsed.run();
            } catch (RuntimeException e) {
                // Only the report of a refresh that never ended: the key is refreshed again whatever it meets.
                LOG.warn("reporting the lapsed refresh of {} failed", refresh.request().rawPath(), e);
            }
        });
    }

    /**
     * The JAX-RS runtime could not write {@code hit} (a response wrapper in front of it refused one of its lines: the
     * client got the runtime's 500), as {@link RuntimeWrittenHit} found: the key's requests are served uncached
     * until the entry would have left the store (at least a second), so that only the first hit of such an entry
     * fails, where every hit failed until it expired. Logged once per episode; memory only, no store call.
     */
    void hitNotWritten(Lookup hit, Throwable failure) {
        try {
            String key = hit.key();
            CacheEntry entry = hit.entry();
            if (key == null || entry == null) {
                return;
            }
            long now = settings.clock().millis();
            long kept = Math.max(1_000, entry.retainedMillis(now));
            long until = kept > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + kept;
            if (unwritableHits.remember(key, until, now)) {
                unwritableHitFaults.failed(failure != null ? failure : new IllegalStateException(
                        "the JAX-RS runtime answered 500 to a hit of " + hit.request().rawPath()
                                + "; its key is served uncached until its entry would have expired"));
            }
        } catch (RuntimeException e) {
            faults.failed(e);
        }
    }

    /** Ends a refresh run after the answer ({@link Lookup#runAfterAnswer()}): the key may be refreshed again. */
    public void endRefresh(Lookup refresh) {
        endLead(refresh, null);
    }

    /**
     * Ends the lead of a request on its key: its cluster-wide lease first, then this instance's claim, handing
     * {@code stored} (or null) to the requests coalesced behind it. In that order, a request of this instance that
     * takes the key after it finds the lease free: the other way round, a stale answer coming between the two took
     * the key, found this instance's own lease still held, took it for another instance's refresh and left the key
     * to it for a whole lease, a failed refresh's stale entry served that long without any refresh.
     */
    private void endLead(Lookup lookup, CacheEntry stored) {
        try {
            ClusterFlight cluster = this.cluster;
            if (cluster != null) {
                cluster.release(lookup.claim());
            }
        } finally {
            inFlight.release(lookup.key(), lookup.claim(), stored, lookup.mark());
        }
    }

    /** Whether the body of a response with this status is worth capturing for {@link #store}. */
    public boolean mayCapture(Lookup lookup, int status) {
        if (lookup.hasWriterFailed()) {
            return false;
        }
        if (headerDriven(lookup.policy())) {
            return lookup.mayStore() && Rfc9111Rules.statusMayBeStored(status);
        }
        return lookup.mayStore() && StorageRules.statusAllowed(status, lookup.policy());
    }

    /**
     * Why the response of a missed request will not be stored, as far as its status and headers tell before the
     * body goes out, for {@link Lookup#forwardHeaders(String, String)}: the rule that refuses it ({@code status},
     * {@code set-cookie}, {@code no-store}, {@code private}, {@code no-cache}, {@code vary-star}, {@code stream}) or
     * {@code too-large} for a declared {@code Content-Length} over the maximum body size. Null when the response may
     * still be stored, and for a request that stores nothing anyway (a bypass, a HEAD).
     */
    public String notStoredReason(Lookup lookup, int status, List<Header> responseHeaders) {
        if (!lookup.mayStore()) {
            return null;
        }
        if (lookup.hasWriterFailed()) {
            // The response that replaced a body whose writer failed (see bodyWriterFailed).
            return refused(lookup, WRITER_FAILED);
        }
        String refusal = headerDriven(lookup.policy()) ? Rfc9111Rules.earlyRefusal(status, responseHeaders)
                : StorageRules.refusal(status, responseHeaders, lookup.policy());
        if (refusal == null && mayBeTheRuntimesRefusal(lookup, status)) {
            refusal = "status";
        }
        if (refusal != null) {
            return refused(lookup, refusal);
        }
        String length = Header.firstValue(responseHeaders, "Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > settings.maxBodyBytes()) {
                    return refused(lookup, "too-large");
                }
            } catch (NumberFormatException malformed) {
                return null;
            }
        }
        return null;
    }

    /**
     * Why the header-driven mode would not store the response as its status and headers stand now, by the rules a
     * header set later may still satisfy, which {@link #notStoredReason} therefore leaves out: {@code authorization}
     * (without {@code public}, {@code s-maxage} or {@code must-revalidate}), {@code status} (one stored only with
     * explicit freshness), {@code no-cache} or {@code no-lifetime} (without a validator), {@code stale} (no time left
     * to keep it). For {@code Cache-Status} like the other refusals, so that a miss without a detail was stored: shown
     * while it holds (the servlet filter, whose headers may still change) or taken as final (the JAX-RS adapter, which
     * asks once the response filters have run, and again after the message body writer, which may still set
     * headers in {@code writeTo}). Not reported: {@link #store} reports the reason that holds at the end.
     * Null in the ttl mode (its rules are all in {@link #notStoredReason}), when the response may be stored, when
     * {@link #notStoredReason} refuses it already, and for a request that stores nothing.
     */
    public String provisionalReason(Lookup lookup, int status, List<Header> responseHeaders) {
        if (!lookup.mayStore() || !headerDriven(lookup.policy())
                || Rfc9111Rules.earlyRefusal(status, responseHeaders) != null) {
            return null;
        }
        return Rfc9111Rules.storage(status, responseHeaders, settings.statusHeader(), lookup.nowMillis(),
                settings.clock().millis(), lookup.request().header("Authorization") != null, headerMode,
                lookup.policy().ttl().toMillis()).refusal();
    }

    /** Whether {@link #provisionalReason} may find a reason for this lookup's response: the header-driven mode. */
    public boolean decidesByResponseHeaders(Lookup lookup) {
        return lookup.mayStore() && headerDriven(lookup.policy());
    }

    /**
     * Why the rules refuse to store a response with this status and these headers, or null when they allow it. An
     * adapter that stores the response as the application produced it asks this of what the client finally got.
     */
    public String refusal(Lookup lookup, int status, List<Header> sentHeaders) {
        String refusal = storageRefusal(lookup, status, sentHeaders);
        return refusal == null ? null : refused(lookup, refusal);
    }

    /** {@link StorageRules}, or for the header-driven mode the shared-cache rules that do not depend on time. */
    private String storageRefusal(Lookup lookup, int status, List<Header> headers) {
        if (mayBeTheRuntimesRefusal(lookup, status)) {
            return "status";
        }
        if (!headerDriven(lookup.policy())) {
            return StorageRules.refusal(status, headers, lookup.policy());
        }
        return requestForbidsStoring(lookup) ? REQUEST_NO_STORE
                : Rfc9111Rules.refusal(status, headers, lookup.request().header("Authorization") != null);
    }

    /**
     * RFC 9111 5.2.1.5: a request saying {@code no-store} forbids storing any response to it, whether or not
     * {@code honour-client-refresh} lets it pass the stored entry by (which the same section permits: a stored
     * response may still answer it). Its response, a 200 or a 304 revalidating an entry, is never stored.
     */
    private static boolean requestForbidsStoring(Lookup lookup) {
        String cacheControl = lookup.request().header("Cache-Control");
        return cacheControl != null && CacheControl.ofRequest(cacheControl).has("no-store");
    }

    /**
     * Reports that an adapter's own rule keeps this response out of the cache ({@code error-page}, {@code redirect},
     * {@code set-cookie} seen as it was set): for metrics, at most once per request, like the engine's refusals.
     */
    public void reportRefusal(Lookup lookup, String reason) {
        refused(lookup, reason);
    }

    /** Reports a refusal to store, once per request however often the adapter asks; returns {@code reason}. */
    private String refused(Lookup lookup, String reason) {
        if ((events != CacheEvents.NONE || LOG.isDebugEnabled()) && lookup.mayStore() && lookup.firstRefusal()) {
            events.refused(lookup.policy().route(), reason);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {}: not stored ({})", lookup.request().rawPath(), lookup.policy().route(), reason);
            }
        }
        return reason;
    }

    /**
     * A stream that passes every byte to {@code target} and keeps a copy up to the maximum body size. The moment the
     * copy is given up (too large, no memory for it, a failed write to the client) the requests coalesced behind
     * {@code lookup} are released: nothing will be stored for them to read.
     */
    public CapturingOutputStream capture(OutputStream target, Lookup lookup) {
        return new CapturingOutputStream(target, (int) settings.maxBodyBytes(), copyBuffers, () -> release(lookup),
                false);
    }

    /**
     * As {@link #capture(OutputStream, Lookup)}, and {@code givenUp} runs once the copy is given up, after the requests
     * coalesced behind this one are released and, when the body outgrew the limit, before the write that took it past
     * the limit reaches {@code target}: an adapter whose body streams (an asynchronous servlet's) can still say why
     * nothing is stored if no header line has gone out.
     */
    public CapturingOutputStream capture(OutputStream target, Lookup lookup, Runnable givenUp) {
        return new CapturingOutputStream(target, (int) settings.maxBodyBytes(), copyBuffers, () -> {
            release(lookup);
            givenUp.run();
        }, false);
    }

    /**
     * Like {@link #capture}, but sends nothing to {@code target} while the body may still be stored: the adapter
     * stores the held body, then calls {@link CapturingOutputStream#deliver()}. Storing (and releasing the requests
     * coalesced behind this one) then never waits for a slow client. A body that cannot be kept is sent at once and
     * streams through.
     */
    public CapturingOutputStream hold(OutputStream target, Lookup lookup) {
        return new CapturingOutputStream(target, (int) settings.maxBodyBytes(), copyBuffers, () -> release(lookup),
                true);
    }

    /**
     * As {@link #hold(OutputStream, Lookup)}, and {@code givenUp} runs once the copy is given up, after the requests
     * coalesced behind this one are released and, when bytes were held, before any of them goes to {@code target}:
     * an adapter whose header lines go out with the first byte can still say why nothing is stored.
     */
    public CapturingOutputStream hold(OutputStream target, Lookup lookup, Runnable givenUp) {
        return new CapturingOutputStream(target, (int) settings.maxBodyBytes(), copyBuffers, () -> {
            release(lookup);
            givenUp.run();
        }, true);
    }

    /**
     * Stores the response of a missed request if every rule allows it. Never throws because of the store.
     *
     * @return the stored entry, or null when the response was not stored
     */
    public CacheEntry store(Lookup lookup, int status, List<Header> responseHeaders, byte[] body) {
        return store(lookup, status, responseHeaders, body, List.of());
    }

    /**
     * As {@link #store(Lookup, int, List, byte[])}, for a response stored as the application produced it while the
     * client got more {@code Vary} field values ({@code sentVary}: added by filters that add them again on a hit).
     * They are not stored, but the entry answers only requests with the same values of the headers they name, since
     * the stored response may depend on them; except {@code Accept-Encoding}, which encoders add, and encoders run
     * again on every hit over the stored body, which is the one before them.
     */
    public CacheEntry store(Lookup lookup, int status, List<Header> responseHeaders, byte[] body,
                            List<String> sentVary) {
        CacheEntry stored = null;
        try {
            stored = storeChecked(lookup, status, responseHeaders, body, sentVary);
            return stored;
        } catch (RuntimeException | OutOfMemoryError e) {
            // The response has been delivered or is about to be: keeping a copy is optional, and never fails it.
            faults.failed(e);
            return null;
        } finally {
            endLead(lookup, stored);
        }
    }

    /**
     * Whether {@code entry}, the one read for {@code request}, must not answer it: its {@code Vary} names a header
     * {@code Request.selectVariant} reads (the runtime's own, taken into the response on RESTEasy, or the
     * application's), so its method negotiates, and the runtime refuses a value of those headers it cannot read with a
     * 400 whatever the variants differ in ({@code Accept-Charset: utf-8;q=2}; on RESTEasy
     * {@code Accept: text/plain;q=.5} too), which an answer from the entry never reached. Judged from the entry
     * itself, so one stored by another instance sharing the store, or before a restart, is judged as one stored here.
     * A request no runtime negotiates (the servlet filter's own) is never refused. A peek in front of the runtime
     * ({@code peek}) judges as the runtime that stored the route it peeks by (its request's {@link
     * CacheRequest#negotiation}), {@code Accept} included, which the runtime has not matched yet
     * ({@link NegotiationDialect#readsBeforeMatching}); one whose request does not say which runtime is behind it
     * judges as the strictest does. Either leaves what it refuses to the runtime's own lookup. No work for an entry
     * that varies on no such header.
     */
    private static boolean negotiationRefused(CacheEntry entry, CacheRequest request, boolean peek) {
        if (entry == null || !NegotiationDialect.namesNegotiation(entry.varyValues())) {
            return false;
        }
        NegotiationDialect dialect = request.negotiation();
        if (peek) {
            return !(dialect == null ? NegotiationDialect.STRICTEST : dialect).readsBeforeMatching(request);
        }
        return dialect != null && !dialect.reads(request);
    }

    /**
     * Whether the response to a miss may be the runtime's refusal rather than its method's answer: a request whose
     * negotiation headers its runtime refuses reached the method because no entry was read to judge it by
     * ({@link #negotiationRefused}: none stored yet, or evicted). If the method negotiates, the runtime answered 400
     * (or what an exception mapper makes of it) without the {@code Vary} the method's responses carry, and stored,
     * that would answer every request of the key. Only a 2xx, the method's own, is stored for such a request.
     */
    private static boolean mayBeTheRuntimesRefusal(Lookup lookup, int status) {
        if (status >= 200 && status < 300) {
            return false;
        }
        NegotiationDialect dialect = lookup.request().negotiation();
        return dialect != null && !dialect.reads(lookup.request());
    }

    private CacheEntry storeChecked(Lookup lookup, int status, List<Header> responseHeaders, byte[] body,
                                    List<String> sentVary) {
        if (!lookup.mayStore() || lookup.hasWriterFailed()) {
            return null;
        }
        if (body.length > settings.maxBodyBytes()) {
            refused(lookup, "too-large");
            return null;
        }
        if (mayBeTheRuntimesRefusal(lookup, status)) {
            refused(lookup, "status");
            return null;
        }
        if (headerDriven(lookup.policy())) {
            return storeHeaderDriven(lookup, status, responseHeaders, body, sentVary);
        }
        String refusal = StorageRules.refusal(status, responseHeaders, lookup.policy());
        if (refusal != null) {
            refused(lookup, refusal);
            return null;
        }
        List<Header> kept = new ArrayList<>(responseHeaders.size() + 1);
        for (Header header : responseHeaders) {
            if (HttpHeaders.isStored(header.name(), settings.statusHeader())) {
                kept.add(header);
            }
        }
        long now = settings.clock().millis();
        // Judged on the response's own lines: the tag derived below is the cache's, no host the response named.
        List<CacheEntry.VaryValue> varyValues = varyValues(lookup, responseHeaders, sentVary, kept, body);
        // Only a 2xx is ever answered with 304 (see lookup): other statuses get no tag the miss did not have. The
        // entry records the tag as the cache's own, which the header-driven mode never sends to the origin. Added to
        // the lines before the entry is built, so that the miss builds it once (and with the response's own tags,
        // which put would otherwise copy it to add).
        boolean derivedETag = isSuccess(status) && Header.firstValue(kept, "ETag") == null;
        if (derivedETag) {
            kept.add(new Header("ETag", ETags.strongFromBody(body, body.length)));
        }
        CacheEntry entry = new CacheEntry(lookup.key(), status, kept, body, now,
                now + lookup.policy().ttl().toMillis(), varyValues, lookup.policy().staleWindows(),
                lookup.responseTags(), derivedETag);
        return put(lookup, compression.apply(entry, body, sentVary, lookup.applicationEncodes()));
    }

    /**
     * Stores as an HTTP shared cache would (RFC 9111, {@link Rfc9111Rules#storage}): only what the response headers
     * allow, for as long as they say; the response is kept exactly as the origin sent it (no ETag is added, since the
     * origin could not validate it).
     */
    private CacheEntry storeHeaderDriven(Lookup lookup, int status, List<Header> responseHeaders, byte[] body,
                                         List<String> sentVary) {
        if (requestForbidsStoring(lookup)) {
            refused(lookup, REQUEST_NO_STORE);
            return null;
        }
        Rfc9111Rules.Storage storage = Rfc9111Rules.storage(status, responseHeaders, settings.statusHeader(),
                lookup.nowMillis(), settings.clock().millis(), lookup.request().header("Authorization") != null,
                headerMode, lookup.policy().ttl().toMillis());
        if (storage.refusal() != null) {
            refused(lookup, storage.refusal());
            return null;
        }
        CacheEntry entry = new CacheEntry(lookup.key(), status, storage.headers(), body, storage.generatedAtMillis(),
                storage.keepUntilMillis(), varyValues(lookup, responseHeaders, sentVary, storage.headers(), body));
        return put(lookup, compression.apply(entry, body, sentVary, lookup.applicationEncodes()));
    }

    /**
     * The stale entry a 304 of the origin has just validated (RFC 9111 4.3.4): its headers updated by the 304's,
     * stored again (when the updated headers still allow it), and answered with those headers, stored or not (a
     * refresh that outlasted its window leaves a newer entry in place). Releases requests coalesced behind this one
     * with it when stored. A 304 whose validators are not the stored ones updates nothing: see
     * {@link #notValidated}. Never throws: on a fault before the update the stored entry answers unchanged.
     *
     * @param notModified the headers of the origin's 304
     */
    public Lookup revalidated(Lookup lookup, List<Header> notModified) {
        CacheEntry stale = lookup.revalidation();
        CacheEntry answer = stale;
        CacheEntry handed = null;
        long now = settings.clock().millis();
        if (stale == null || !Rfc9111Rules.validates(stale.headers(), notModified, now)) {
            return notValidated(lookup, now);
        }
        try {
            // The tag header of a 304 tags the entry like a 200's does, and is never stored or sent.
            List<Header> kept = new ArrayList<>(notModified.size());
            List<String> headerTags = new ArrayList<>();
            for (Header header : notModified) {
                if (tagHeader != null && header.name().equalsIgnoreCase(tagHeader)) {
                    headerTags.addAll(Invalidations.headerTags(header.value()));
                } else {
                    kept.add(header);
                }
            }
            lookup.addTags(headerTags);
            if (lookup.responseTags().isEmpty()) {
                // A 304 that does not repeat the tags the stored response gave itself keeps them: storing the entry
                // again replaces its tags, and without these it could no longer be evicted by them.
                lookup.addTags(stale.responseTags());
            }
            List<Header> merged = Rfc9111Rules.refreshed(stale.headers(), kept, settings.statusHeader());
            // A tag the 304 carries is the origin's, even when it is the text the ttl mode derived from this body (an
            // origin running this library issues that very tag): left recorded as derived, it was never sent again.
            CacheEntry validated = HttpHeaders.contains(kept, "ETag") ? stale.withETagFromOrigin() : stale;
            Rfc9111Rules.Storage storage = Rfc9111Rules.storage(stale.status(), withAge(merged, kept),
                    settings.statusHeader(), lookup.nowMillis(), now, lookup.request().header("Authorization") != null,
                    headerMode, lookup.policy().ttl().toMillis());
            // A 304 that changes Vary validated the body for this request only: the entry keeps the request
            // fields recorded under the old Vary, so kept, it would answer requests the new Vary tells apart.
            if (storage.refusal() == null && requestForbidsStoring(lookup)) {
                // Validated for this request, which forbids storing what answered it: the entry stays as stored
                // (stale, to be revalidated by the next request), and this request gets it as the 304 updated it.
                answer = validated.withHeaders(storage.headers(), storage.generatedAtMillis(),
                        storage.keepUntilMillis());
                refused(lookup, REQUEST_NO_STORE);
            } else if (storage.refusal() == null && !Rfc9111Rules.changesVary(stale.headers(), kept)) {
                answer = validated.withHeaders(storage.headers(), storage.generatedAtMillis(),
                        storage.keepUntilMillis()).withResponseTags(lookup.responseTags());
                // Not stored (a newer entry of the key, the store budget spent, an eviction meanwhile), it still
                // answers this request as the 304 updated it; the requests waiting for it read the store again.
                handed = put(lookup, answer);
            } else {
                // Validated for this request, but its new headers forbid keeping it: answered once, then evicted.
                // Not handed to coalesced waiters either: what forbids storing it (no-store, Set-Cookie, private)
                // forbids giving it to other clients; they send their own requests.
                answer = validated.withHeaders(Rfc9111Rules.storedHeaders(merged, settings.statusHeader()), now, now);
                // This URL's entries only: the other query strings of the path were not revalidated.
                String url = Invalidations.requestTag(lookup.request().rawPath(), lookup.request().rawQuery());
                evictQuietly(Set.of(url != null ? url : Invalidations.pathTag(lookup.request().rawPath())));
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            faults.failed(e);
        } finally {
            endLead(lookup, handed);
        }
        // The client's own If-None-Match / If-Modified-Since (hidden from the origin) are answered by the entry.
        CacheRequest request = lookup.request();
        Lookup.Outcome outcome = isSuccess(answer.status()) && (GzipAnswers.noneMatchHits(answer, request)
                || Rfc9111Rules.notModifiedSince(request, answer, now)) ? Lookup.Outcome.NOT_MODIFIED : Lookup.Outcome.HIT;
        return new Lookup(outcome, "hit", lookup.request(), lookup.policy(), lookup.key(), answer, now,
                null).revalidatedBy304(Rfc9111Rules.remainingMillis(now, answer, headerMode,
                lookup.policy().ttl().toMillis()));
    }

    /**
     * The updated headers with the 304's {@code Age}, which is never stored but counts in the age of the response
     * it validated (RFC 9111 4.2.3): a 304 a cache upstream kept for 50 s leaves 10 s of a {@code max-age=60}.
     */
    private static List<Header> withAge(List<Header> merged, List<Header> notModified) {
        List<Header> timed = null;
        for (Header header : notModified) {
            if (header.is("Age")) {
                if (timed == null) {
                    timed = new ArrayList<>(merged);
                }
                timed.add(header);
            }
        }
        return timed == null ? merged : timed;
    }

    /**
     * A 304 about another representation than the stale entry (RFC 9111 4.3.4, {@link Rfc9111Rules#validates}):
     * nothing is updated or stored, and the URL's entries are evicted, so that the next request fetches the current
     * representation whole (revalidating the stale one again would only meet the same 304). This request's answer
     * cannot be that representation's body (the cache does not have it, and the request, whose response the
     * application has already begun, is never sent again: filters behind the cache would not all run twice). It is
     * the stale entry as stored, marked stale, never as validated; or, when the stored response forbids serving it
     * stale ({@code no-cache}, {@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage}: RFC 9111 4.2.4),
     * a 504 Gateway Timeout (5.2.2.2), the answer of a cache that cannot reach a validated response.
     */
    private Lookup notValidated(Lookup lookup, long now) {
        CacheEntry stale = lookup.revalidation();
        try {
            String url = Invalidations.requestTag(lookup.request().rawPath(), lookup.request().rawQuery());
            evictQuietly(Set.of(url != null ? url : Invalidations.pathTag(lookup.request().rawPath())));
        } catch (RuntimeException e) {
            faults.failed(e);
        } finally {
            endLead(lookup, null);
        }
        LOG.debug("{}: a 304 with other validators than the stored response's; its entries are evicted",
                lookup.request().rawPath());
        if (stale == null || Rfc9111Rules.forbidsStale(CacheControl.of(stale.headers()))) {
            return new Lookup(Lookup.Outcome.HIT, "stale", lookup.request(), lookup.policy(), lookup.key(),
                    new CacheEntry(lookup.key(), 504, List.of(new Header("Cache-Control", "no-store")), new byte[0],
                            now, now, List.of()), now, null).notValidatedBy304(null);
        }
        if (!lookup.answersNoClient()) {
            // A refresh run after its answer answers no client: not a request to count.
            events.answeredStale(lookup.policy().route(), "validator-mismatch");
        }
        return new Lookup(Lookup.Outcome.HIT, "stale", lookup.request(), lookup.policy(), lookup.key(), stale, now,
                null).notValidatedBy304(Rfc9111Rules.remainingMillis(now, stale, headerMode,
                lookup.policy().ttl().toMillis()));
    }

    /** The request values of the headers the response varies on, and those derived from the host. */
    private static List<CacheEntry.VaryValue> varyValues(Lookup lookup, List<Header> responseHeaders,
                                                         List<String> sentVary, List<Header> kept, byte[] body) {
        List<CacheEntry.VaryValue> vary = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (String name : HttpHeaders.elements(responseHeaders, "Vary")) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (named.add(lower)) {
                vary.add(new CacheEntry.VaryValue(lower, KeyedValues.header(lookup.request(), lower)));
            }
        }
        for (String line : sentVary) {
            for (String name : line.split(",")) {
                String lower = name.trim().toLowerCase(Locale.ROOT);
                if (!lower.isEmpty() && !lower.equals("accept-encoding") && named.add(lower)) {
                    vary.add(new CacheEntry.VaryValue(lower, KeyedValues.header(lookup.request(), lower)));
                }
            }
        }
        vary.addAll(HostDerived.varyValues(lookup.request(), kept, body));
        return vary;
    }

    /** One put of an entry built for a miss, within the request's store budget; the entry, or null if not stored. */
    private CacheEntry put(Lookup lookup, CacheEntry entry) {
        int bodyLength = entry.bodyLength();
        if (!withinBudget(lookup.storeNanos())) {
            // This request has spent its store time already (a slow store): the write would exceed it.
            return null;
        }
        if (lookup.mark() == null || lookup.refreshing() && !inFlight.alone(lookup.key(), lookup.claim())
                && newerStoredSince(lookup)) {
            return null;
        }
        List<String> responseTags = lookup.responseTags();
        if (!responseTags.equals(entry.responseTags())) {
            entry = entry.withResponseTags(responseTags);
        }
        long started = budgetNanos > 0 ? nanoTime.getAsLong() : 0;
        FailSafeStore.PutResult result = store.put(entry, lookup.tags(), lookup.mark());
        if (result == FailSafeStore.PutResult.REFUSED) {
            // Produced from data an eviction during this miss declared stale: nobody may be given it.
            return null;
        }
        if (result == FailSafeStore.PutResult.STORED) {
            // The primary key keeps the latest variant; its copy under its variant key keeps it beside the others.
            CacheEntry copy = variants.copyToStore(entry, settings.clock().millis());
            if (copy != null && withinBudget(lookup.storeNanos()
                    + (budgetNanos > 0 ? nanoTime.getAsLong() - started : 0))) {
                store.put(copy, lookup.tags(), lookup.mark());
            }
            events.stored(lookup.policy().route(), bodyLength);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {}: stored {} bytes until {}", lookup.request().rawPath(), lookup.policy().route(),
                        bodyLength, entry.expiresAtMillis());
            }
        }
        staleAnswers.recovered(lookup);
        return entry;
    }

    /**
     * Whether the key holds this request's variant stored after {@code lookup} was made: a stale-while-revalidate
     * refresh may outlast its window, and a miss after the window then runs the method again and stores a newer
     * response, which the refresh's older one must not replace (for a whole ttl). Another variant stored at the key
     * meanwhile (another language) does not count. One store read, at the end of a refresh that ran for the maximum
     * wait or longer: before that, every other miss of the key still waited for it, here and (on the key's lease) on
     * the other instances.
     */
    private boolean newerStoredSince(Lookup lookup) {
        CacheEntry current = store.getShared(lookup.key());
        return current != null && current.key().equals(lookup.key()) && current.storedAtMillis() > lookup.nowMillis()
                && FreshnessRules.varyMatches(current, lookup.request());
    }

    @Override
    public void close() {
        try {
            events.closed();
        } catch (RuntimeException e) {
            faults.failed(e);
        }
        deadlines.close();
        ClusterFlight cluster = this.cluster;
        if (cluster != null) {
            cluster.close();
        }
        store.close();
    }

    /** The stale-if-error deadlines' timer (see {@link ErrorFallback}). */
    StaleDeadlines deadlines() {
        return deadlines;
    }

    /** Whether one more store call fits in what is left of a request's store budget; always, for a store in memory. */
    private boolean withinBudget(long spentNanos) {
        return budgetNanos == 0 || spentNanos + callNanos <= budgetNanos;
    }

    /**
     * A hit's outcome: a 304 when the request's If-None-Match or If-Modified-Since is met, for a stored 2xx only (RFC
     * 9110 13.2.1: a stored 404 or 301 is answered as it is, whatever the request's If-None-Match, even "*").
     * If-Modified-Since is evaluated in both modes (RFC 9111 4.3.2), against the stored Last-Modified only: a
     * servlet's getLastModified and the containers' default servlets answer it 304 themselves.
     */
    private static Lookup.Outcome answered(CacheEntry entry, CacheRequest request, long now) {
        return isSuccess(entry.status())
                && (GzipAnswers.noneMatchHits(entry, request) || Rfc9111Rules.notModifiedSince(request, entry, now))
                ? Lookup.Outcome.NOT_MODIFIED : Lookup.Outcome.HIT;
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static boolean carriesCredentials(CacheRequest request) {
        // In lower case, as Jersey looks header names up: a name with capitals costs it a copy on every lookup.
        return request.principalName() != null || request.header("authorization") != null;
    }

    private static Lookup bypass(String detail, CacheRequest request, CachePolicy policy, long now) {
        return new Lookup(Lookup.Outcome.BYPASS, detail, request, policy, null, null, now, null);
    }
}
