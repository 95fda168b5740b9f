package dev.responsecache.micrometer;

import dev.responsecache.core.CacheEvents;
import dev.responsecache.core.Lookup;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreStatus;
import dev.responsecache.spi.StoreUnavailableException;
import dev.responsecache.spi.TierSize;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The engine's events as Micrometer meters. Every meter is registered once and kept, so that counting a hit reads two
 * maps and increments a counter, with no allocation of its own. Gauges read the store when the registry is scraped.
 *
 * <p>Meters outlive the cache: a cache that is reopened (a component joining with more settings, a redeployed
 * application) counts on into the same counters, as Micrometer hands out one meter per name and tags. For the same
 * reason the gauges read whichever store is the registry's latest, through one holder per registry; a closed cache
 * lets go of its store, and the gauges then read nothing (NaN) until another opens.
 */
final class MicrometerEvents implements CacheEvents {

    static final String REQUESTS = "responsecache.requests";
    static final String STORES = "responsecache.stores";
    static final String REFUSALS = "responsecache.refusals";
    static final String STORE_OPERATIONS = "responsecache.store.operations";
    static final String STORE_FAILURES = "responsecache.store.failures";
    static final String COALESCED = "responsecache.coalesced.waits";
    static final String STORE_REACHABLE = "responsecache.store.reachable";
    static final String BREAKER_OPEN = "responsecache.store.breaker.open";
    static final String ENTRIES = "responsecache.entries";
    static final String BYTES = "responsecache.bytes";
    static final String EVICTIONS = "responsecache.evictions";
    static final String STORE_FAULTS = "responsecache.store.faults";
    static final String REFRESH_FAILURES = "responsecache.refresh.failures";

    private static final Lookup.Outcome[] OUTCOMES = Lookup.Outcome.values();
    private static final StoreOperation[] OPERATIONS = StoreOperation.values();

    /** The store the gauges of each registry read; see the class comment. */
    private static final Map<MeterRegistry, AtomicReference<ResponseStore>> GAUGED_STORES =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final MeterRegistry registry;
    private final ResponseStore store;
    private final AtomicReference<ResponseStore> gauged;
    private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
    /** Per operation: [success, failure]. */
    private final Timer[][] storeOperations = new Timer[OPERATIONS.length][];
    private final ConcurrentHashMap<String, Counter> storeFailures = new ConcurrentHashMap<>();
    private final Timer coalescedReleased;
    private final Timer coalescedTimedOut;

    MicrometerEvents(MeterRegistry registry, ResponseStore store) {
        this.registry = registry;
        this.store = store;
        this.gauged = GAUGED_STORES.computeIfAbsent(registry, r -> new AtomicReference<>());
        gauged.set(store);
        for (StoreOperation operation : OPERATIONS) {
            storeOperations[operation.ordinal()] = new Timer[] {
                storeTimer(operation, "success"), storeTimer(operation, "failure")};
        }
        coalescedReleased = Timer.builder(COALESCED).tag("result", "released")
                .description("Requests that waited for another request to run the method for the same key")
                .register(registry);
        coalescedTimedOut = Timer.builder(COALESCED).tag("result", "timeout")
                .description("Requests that waited for another request to run the method for the same key")
                .register(registry);
        bindStore(store);
    }

    @Override
    public void lookedUp(String route, Lookup.Outcome outcome, String reason) {
        route(route).request(outcome, reason).increment();
    }

    @Override
    public void answeredStale(String route, String reason) {
        route(route).staleAnswer(reason).increment();
    }

    @Override
    public void refreshFailed(String route, String exception) {
        RouteMeters meters = route(route);
        meters.tagged(meters.refreshFailures, REFRESH_FAILURES, "exception", exception,
                "Stale-while-revalidate refreshes that failed; each left the stale entry answering").increment();
    }

    @Override
    public void stored(String route, int bodyBytes) {
        route(route).stores.increment();
    }

    @Override
    public void refused(String route, String reason) {
        RouteMeters meters = route(route);
        meters.tagged(meters.refusals, REFUSALS, "reason", reason,
                "Responses of missed requests that the rules kept out of the cache").increment();
    }

    @Override
    public boolean timesStoreCalls() {
        return true;
    }

    @Override
    public void storeCall(StoreOperation operation, long nanos, Throwable fault) {
        storeOperations[operation.ordinal()][fault == null ? 0 : 1].record(nanos, TimeUnit.NANOSECONDS);
        // A store that could not be asked reported why itself (the Redis store: store.faults, its breaker).
        if (fault != null && !(fault instanceof StoreUnavailableException)) {
            String kind = fault.getClass().getSimpleName();
            storeFailures.computeIfAbsent(operation.ordinal() + kind, k -> Counter.builder(STORE_FAILURES)
                    .tag("operation", tagValue(operation)).tag("exception", kind)
                    .description("Store calls that failed, by what they threw; each was served uncached")
                    .register(registry)).increment();
        }
    }

    @Override
    public void coalesced(long waitedNanos, boolean timedOut) {
        (timedOut ? coalescedTimedOut : coalescedReleased).record(waitedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void closed() {
        gauged.compareAndSet(store, null);
    }

    private RouteMeters route(String route) {
        RouteMeters meters = routes.get(route);
        return meters != null ? meters : routes.computeIfAbsent(route, RouteMeters::new);
    }

    private Timer storeTimer(StoreOperation operation, String result) {
        return Timer.builder(STORE_OPERATIONS).tag("operation", tagValue(operation)).tag("result", result)
                .description("Calls to the store, timed; a failed call was served as a miss")
                .register(registry);
    }

    private void bindStore(ResponseStore store) {
        StoreStatus status = status(store);
        if (status != null) {
            gauge(STORE_REACHABLE, s -> {
                StoreStatus now = status(s);
                return now == null ? Double.NaN : flag(now.reachable());
            }).description("1 when the store answers calls, 0 while it is judged unreachable").register(registry);
            if (!"none".equals(status.breaker())) {
                gauge(BREAKER_OPEN, s -> {
                    StoreStatus now = status(s);
                    return now == null ? Double.NaN : flag("open".equals(now.breaker()));
                }).description("1 while the store's circuit breaker keeps requests away from it").register(registry);
            }
        }
        for (String kind : faultCounts(store).keySet()) {
            FunctionCounter.builder(STORE_FAULTS, gauged, current -> {
                ResponseStore now = current.get();
                Long count = now == null ? null : faultCounts(now).get(kind);
                return count == null ? Double.NaN : count;
            }).tag("kind", kind).description("Faults of its own the store served as misses without throwing, by kind")
                    .register(registry);
        }
        for (TierSize tier : sizes(store)) {
            if (tier.entries() >= 0) {
                gauge(ENTRIES, tierValue(tier.tier(), TierSize::entries)).tag("tier", tier.tier())
                        .description("Entries held in this tier of the store").register(registry);
            }
            if (tier.bytes() >= 0) {
                gauge(BYTES, tierValue(tier.tier(), TierSize::bytes)).tag("tier", tier.tier())
                        .baseUnit("bytes").description("Bytes held in this tier of the store").register(registry);
            }
            if (tier.evictions() >= 0) {
                FunctionCounter.builder(EVICTIONS, gauged, current -> {
                    ResponseStore now = current.get();
                    return now == null ? Double.NaN : tierValue(tier.tier(), TierSize::evictions).applyAsDouble(now);
                }).tag("tier", tier.tier()).description("Entries this tier evicted to make room")
                        .register(registry);
            }
        }
    }

    /** A gauge of whichever store the registry's latest cache uses, NaN when none is open. */
    private Gauge.Builder<AtomicReference<ResponseStore>> gauge(String name, ToDoubleFunction<ResponseStore> value) {
        return Gauge.builder(name, gauged, current -> {
            ResponseStore now = current.get();
            return now == null ? Double.NaN : value.applyAsDouble(now);
        });
    }

    private static ToDoubleFunction<ResponseStore> tierValue(String tier, ToDoubleFunction<TierSize> value) {
        return store -> {
            for (TierSize size : sizes(store)) {
                if (size.tier().equals(tier)) {
                    return value.applyAsDouble(size);
                }
            }
            return Double.NaN;
        };
    }

    /** A gauge reads the store on a scrape thread: a fault there is no value, never an exception. */
    private static StoreStatus status(ResponseStore store) {
        try {
            return store.status();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static List<TierSize> sizes(ResponseStore store) {
        try {
            return store.sizes();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    private static Map<String, Long> faultCounts(ResponseStore store) {
        try {
            return store.faultCounts();
        } catch (RuntimeException | LinkageError e) {
            return Map.of();
        }
    }

    private static double flag(boolean value) {
        return value ? 1 : 0;
    }

    private static String tagValue(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One route's meters; request counters by outcome, then by reason, registered on first use. */
    private final class RouteMeters {

        private final String route;
        private final Counter stores;
        private final ConcurrentHashMap<String, Counter> refusals = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Counter> staleAnswers = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Counter> refreshFailures = new ConcurrentHashMap<>();
        private final List<ConcurrentHashMap<String, Counter>> requests = new ArrayList<>(OUTCOMES.length);

        RouteMeters(String route) {
            this.route = route;
            this.stores = Counter.builder(STORES).tag("route", route)
                    .description("Responses stored").register(registry);
            for (int i = 0; i < OUTCOMES.length; i++) {
                requests.add(new ConcurrentHashMap<>());
            }
        }

        /** Outcome {@code stale}: not a {@link Lookup.Outcome}, as the request was looked up as a miss. */
        Counter staleAnswer(String reason) {
            return staleAnswers.computeIfAbsent(reason, r -> Counter.builder(REQUESTS)
                    .tag("route", route).tag("outcome", "stale").tag("reason", r)
                    .description("Requests looked up in the cache, by outcome and why")
                    .register(registry));
        }

        /** This route's counter {@code name} tagged {@code tag=value}, kept in {@code counters} by value. */
        Counter tagged(ConcurrentHashMap<String, Counter> counters, String name, String tag, String value,
                       String description) {
            return counters.computeIfAbsent(value, v -> Counter.builder(name).tag("route", route).tag(tag, v)
                    .description(description).register(registry));
        }

        Counter request(Lookup.Outcome outcome, String reason) {
            ConcurrentHashMap<String, Counter> byReason = requests.get(outcome.ordinal());
            Counter counter = byReason.get(reason);
            return counter != null ? counter : byReason.computeIfAbsent(reason, r -> 
                    Counter.builder(REQUESTS).tag("route", route).tag("outcome", tagValue(outcome)).tag("reason", r)
                            .description("Requests looked up in the cache, by outcome and why")
                            .register(registry));
        }
    }
}
