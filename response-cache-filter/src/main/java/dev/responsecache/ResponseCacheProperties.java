package dev.responsecache;

/**
 * The configuration keys of the response cache. Each is read, in this order of precedence, from a system property,
 * from an environment variable ({@code RESPONSECACHE_MAX_BODY_SIZE}, named as MicroProfile Config maps the key), from
 * the JAX-RS application's properties ({@code Application#getProperties()}, {@code ResourceConfig#property}, Jersey
 * servlet init-params), from servlet context parameters, and from servlet context attributes (for objects). Every
 * value is checked when the application starts; a bad one fails the start-up with a message that names the key and
 * the value, and so does a {@code responsecache.*} key that is none of these (a store of one's own may read keys
 * under {@code responsecache.<its name>.}).
 *
 * <p>Sizes accept a number of bytes with an optional binary unit: {@code 1048576}, {@code 512KB}, {@code 64MB},
 * {@code 1GB} ({@code KiB}/{@code MiB}/{@code GiB} are accepted too; {@code 1KB} is 1024 bytes). Durations accept
 * {@code ms} or {@code s}: {@code 250ms}, {@code 2s}; where a key accepts {@code 0}, {@code 0s} and {@code 0ms} are
 * the same.
 */
public final class ResponseCacheProperties {

    /** Master switch. Type: boolean. Default: {@code true}. */
    public static final String ENABLED = "responsecache.enabled";

    /**
     * Whether a successful (2xx or 3xx) POST, PUT, PATCH or DELETE evicts the entries stored for its path and for the
     * same-origin paths of its {@code Location} and {@code Content-Location} headers, as RFC 9111 section 4.4 asks of
     * a shared cache. Type: boolean. Default: {@code true}.
     */
    public static final String INVALIDATE_UNSAFE = "responsecache.invalidate-unsafe";

    /**
     * A response header through which a resource or servlet tags the response it produces (e.g. every product on a
     * list page), as a comma- or space-separated list. The cache reads it and removes it: it is never sent to the
     * client nor stored. Type: header name. Default: none (off).
     */
    public static final String TAG_HEADER = "responsecache.tag-header";

    /**
     * Turns on {@code PURGE <url>} (evicting that URL's entries, see {@code ResponseCacheInvalidator#evictRequest}) for
     * requests with {@code Authorization: Bearer <token>}. Type: string of at least 16 characters, never logged.
     * Default: none (off, unless {@link #PURGE_ROLE} is set).
     */
    public static final String PURGE_TOKEN = "responsecache.purge-token";

    /**
     * Turns on {@code PURGE <url>} for users the container authenticated with this role ({@code isUserInRole}).
     * Type: string. Default: none (off, unless {@link #PURGE_TOKEN} is set).
     */
    public static final String PURGE_ROLE = "responsecache.purge-role";

    /** Which store holds entries. Type: string, {@code ehcache} or {@code redis}. Default: {@code ehcache}. */
    public static final String STORE = "responsecache.store";

    /**
     * Largest body that is stored; larger responses stream to the client without being held in memory.
     * Type: size. Default: {@code 1MB}.
     */
    public static final String MAX_BODY_SIZE = "responsecache.max-body-size";

    /**
     * Statuses that may be stored, unless an annotation names its own. Type: comma-separated list of integers.
     * Default: {@code 200,203,204,300,301,308,404,410}. A 1xx, 206, 304 or 5xx is never stored; naming one fails the
     * start-up.
     */
    public static final String CACHEABLE_STATUSES = "responsecache.cacheable-statuses";

    /** Name of the header that says HIT or MISS. Type: header name. Default: {@code X-Cache}. */
    public static final String STATUS_HEADER = "responsecache.status-header";

    /**
     * Request coalescing: when several requests miss on one key at the same time, one runs the method and the others
     * wait for its response instead of running it too. Type: boolean. Default: {@code true}.
     */
    public static final String COALESCE = "responsecache.coalesce";

    /**
     * How long a coalesced request waits for the first one before running the method itself. Type: duration.
     * Default: {@code 5s}.
     */
    public static final String COALESCE_WAIT = "responsecache.coalesce-wait";

    /**
     * With a store shared by several instances (Redis), how long the lease lasts that one instance takes on a cold
     * key so that the method runs once in the cluster while requests on the other instances wait (at most
     * {@code coalesce-wait}) for its entry. A holder that dies (or runs the method longer than this) loses the lease
     * when it expires, and one waiter takes over. At most {@code coalesce-wait}, so that a waiter can take over
     * before it gives up. Type: duration, or {@code 0} for per-instance coalescing only. Default: half of
     * {@code coalesce-wait}.
     */
    public static final String COALESCE_LEASE = "responsecache.coalesce-lease";

    /**
     * The most time one request may spend in store calls, all its reads and writes together: a call is made only
     * while the rest of the budget covers the store's longest call, otherwise the read is a miss and the write is
     * skipped. Applies to stores whose calls leave the JVM (Redis); at least the store's longest call (for Redis:
     * 10 ms of pool wait + connect timeout + 4 read timeouts, a tagged store's round trips). Type: duration.
     * Default: twice the store's longest call.
     */
    public static final String STORE_BUDGET = "responsecache.store-budget";

    /**
     * How many {@code Vary} variants of one cached URL (one key) are kept side by side, beside the one stored last,
     * which answers in one store read: a request for another kept variant costs a second read. A variant beyond them
     * replaces the last one only, so that a client sending ever new header values cannot fill the store with one
     * URL. Counted per instance. Type: integer, {@code 0} (only the last variant, each replacing the other) to
     * {@code 64}. Default: {@code 8}.
     */
    public static final String MAX_VARIANTS = "responsecache.max-variants";

    /**
     * Whether a miss is stored when the store is full: with {@code when-evicting}, while the store evicts entries to
     * make room (read at most once a second from its tier statistics: the embedded store), the response to a key no
     * request asked for recently is not stored ({@code Cache-Status: ResponseCache; fwd=uri-miss;
     * detail=not-admitted}), and the key's next request, within about as many new keys as the store holds entries,
     * is stored; so one-off URLs (a crawler, a new query string per request) neither evict the entries asked for
     * again nor churn memory. Without evictions, and with a store that cannot tell (Redis), every miss is stored.
     * Type: {@code when-evicting} or {@code off}. Default: {@code when-evicting}.
     */
    public static final String ADMISSION = "responsecache.admission";

    /**
     * How long after its ttl an entry is answered at once while one refresh of it runs after the answer, for every
     * endpoint that does not give its own {@code staleWhileRevalidate}. Type: duration, or {@code 0} for none (at
     * most 365 days). Default: {@code 0}.
     */
    public static final String STALE_WHILE_REVALIDATE = "responsecache.stale-while-revalidate";

    /**
     * How long after its ttl an entry is still answered instead of an error of the method (an exception, a 5xx), for
     * every endpoint that does not give its own {@code staleIfError}. Type: duration, or {@code 0} for none (at most
     * 365 days). Default: {@code 0}.
     */
    public static final String STALE_IF_ERROR = "responsecache.stale-if-error";

    /**
     * How long a missed request of a JAX-RS resource method or of a filtered servlet waits for it while a stale entry
     * usable on error exists, for every endpoint that does not give its own {@code staleIfErrorDeadline} (the
     * annotation's attribute, the filter's init-param); past it the stale entry
     * answers and the method's response is still stored. Type: duration, or {@code 0} for none (at most 1 day).
     * Default: {@code 0}.
     */
    public static final String STALE_IF_ERROR_DEADLINE = "responsecache.stale-if-error-deadline";

    /**
     * Header-driven freshness for every endpoint: each response's own {@code Cache-Control}, {@code Expires} and
     * {@code Age} say how long it is fresh, as for an HTTP shared cache (RFC 9111), and an endpoint's ttl only caps
     * that. Without it, only endpoints declaring {@code ttl = CacheResponse.FROM_HEADERS} (or the filter's
     * {@code ttl=headers}) are header-driven. Type: boolean. Default: {@code false}.
     */
    public static final String TTL_FROM_HEADERS = "responsecache.ttl-from-headers";

    /**
     * In the header-driven mode, the freshness given to a response with a validator ({@code ETag} or
     * {@code Last-Modified}) but no explicit lifetime (RFC 9111 4.2.2 heuristic freshness). Type: duration, or
     * {@code 0} for none: such a response is then stored stale and revalidated on its next use. Default: {@code 0}.
     */
    public static final String HEURISTIC_TTL = "responsecache.heuristic-ttl";

    /**
     * In the header-driven mode, whether a client's {@code Cache-Control: no-cache}, {@code no-store},
     * {@code max-age} and {@code min-fresh} send its request to the origin. Off by default in an application: any
     * client could otherwise bypass the cache at will, which makes the cache a load amplifier; the caching proxy
     * turns it on, as an HTTP cache would. {@code max-stale} and {@code only-if-cached} are always honoured. Type:
     * boolean. Default: {@code false}.
     */
    public static final String HONOUR_CLIENT_REFRESH = "responsecache.honour-client-refresh";

    /**
     * In the header-driven mode, how long past its freshness an entry with a validator is kept, so that its next
     * request revalidates it (a conditional request, a 304 refreshing it) rather than fetching it again.
     * Type: duration, or {@code 0} (at most 365 days). Default: {@code 3600s}.
     */
    public static final String REVALIDATION_WINDOW = "responsecache.revalidation-window";

    /**
     * Whether compressible bodies (text, JSON, XML, JavaScript, CSS, SVG) are stored gzip-compressed: compressed once
     * when stored, sent as stored to clients that accept gzip ({@code Content-Encoding: gzip}, {@code Vary:
     * Accept-Encoding}, the entity tag with {@code -gzip} inside its quotes), decompressed for the others. A response
     * that already has a {@code Content-Encoding}, says {@code no-transform}, or whose application negotiates
     * encodings itself ({@code Vary: Accept-Encoding}) is stored as it is. Type: {@code gzip} or {@code off}.
     * Default: {@code off}.
     */
    public static final String COMPRESS = "responsecache.compress";

    /** Smallest body {@link #COMPRESS} compresses. Type: size. Default: {@code 1KB}. */
    public static final String COMPRESS_MIN_SIZE = "responsecache.compress-min-size";

    /**
     * The Ehcache store's bound on the heap its entries take, each entry weighed by its body, headers and key plus a
     * fixed allowance for the objects around them. Type: size. Default: a tenth of the JVM's maximum heap
     * ({@code Runtime.maxMemory() / 10}; with an off-heap tier, at most half of that tier). Cannot be combined with
     * {@link #EHCACHE_MAX_ENTRIES}.
     */
    public static final String EHCACHE_HEAP_SIZE = "responsecache.ehcache.heap-size";

    /**
     * Bounds the Ehcache store's heap tier by a number of entries instead of by bytes: the heap it takes is then up to
     * this many times {@link #MAX_BODY_SIZE}, so size it to the heap. Type: integer. Default: unset (bounded by
     * {@link #EHCACHE_HEAP_SIZE}).
     */
    public static final String EHCACHE_MAX_ENTRIES = "responsecache.ehcache.max-entries";

    /**
     * When set, the Ehcache store also keeps entries off the heap, in their serialized form, bounded by this size.
     * Type: size. Default: unset (heap only).
     */
    public static final String EHCACHE_OFFHEAP_SIZE = "responsecache.ehcache.offheap-size";

    /**
     * Two-level caching for a shared store such as Redis: each instance also keeps up to this many entries on its own
     * heap (an Ehcache tier), in front of the shared store. A hot entry is then answered without a round trip, until
     * its own expiry or an eviction. Bounded by count: it may hold up to this many times the maximum body size; see
     * {@link #NEAR_CACHE_HEAP_SIZE} for a bound in bytes. Type: integer, 0 for none. Default: {@code 0}.
     */
    public static final String NEAR_CACHE_MAX_ENTRIES = "responsecache.near-cache.max-entries";

    /**
     * Two-level caching bounded in bytes rather than entries: each instance keeps near copies up to this many bytes
     * of its heap (entries weighed as in the embedded store). Either this or
     * {@link #NEAR_CACHE_MAX_ENTRIES} turns the near tier on; not both. Type: size. Default: unset.
     */
    public static final String NEAR_CACHE_HEAP_SIZE = "responsecache.near-cache.heap-size";

    /**
     * Redis server, {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}; with
     * {@link #REDIS_TOPOLOGY} {@code cluster} or {@code sentinel}, a comma-separated host list
     * ({@code redis://user:password@h1:7000,h2:7001}). Type: URI. Required when {@code responsecache.store=redis}; no
     * default.
     */
    public static final String REDIS_URI = "responsecache.redis.uri";

    /** Prefix of every Redis key the store writes. Type: string. Default: {@code rc:}. */
    public static final String REDIS_KEY_PREFIX = "responsecache.redis.key-prefix";

    /** Maximum number of pooled Redis connections. Type: integer. Default: {@code 64}. */
    public static final String REDIS_POOL_SIZE = "responsecache.redis.pool-size";

    /** Redis connect timeout. Type: duration. Default: {@code 200ms}. */
    public static final String REDIS_CONNECT_TIMEOUT = "responsecache.redis.connect-timeout";

    /** Redis read timeout. Type: duration. Default: {@code 200ms}. */
    public static final String REDIS_READ_TIMEOUT = "responsecache.redis.read-timeout";

    /**
     * How long the Redis store stops calling Redis once it judges it unhealthy (3 failures in a row, or half of the
     * calls of the last 10 seconds failed or slow), before it lets one call through to find out whether Redis is
     * back. Type: duration. Default: {@code 1s}.
     */
    public static final String REDIS_COOL_DOWN = "responsecache.redis.cool-down";

    /**
     * A Redis call slower than this counts against Redis as a failure does: a Redis that answers, but slowly, is
     * treated like one that does not answer, rather than slowing every request down. Type: duration.
     * Default: {@code 50ms}.
     */
    public static final String REDIS_SLOW_CALL = "responsecache.redis.slow-call";

    /**
     * How the Redis named by {@link #REDIS_URI} is deployed: {@code single} (one server, or the one address a managed
     * service gives), {@code cluster} (Redis Cluster: the URI lists seed nodes, {@code redis://h1:7000,h2:7001}) or
     * {@code sentinel} (the URI lists the sentinels; {@link #REDIS_SENTINEL_MASTER} names the primary). Type: string.
     * Default: {@code single}.
     */
    public static final String REDIS_TOPOLOGY = "responsecache.redis.topology";

    /** The primary's name in the sentinels' configuration. Type: string. Required with {@code topology=sentinel}. */
    public static final String REDIS_SENTINEL_MASTER = "responsecache.redis.sentinel-master";

    /** ACL user for logging in to the sentinels themselves. Type: string. Default: none. */
    public static final String REDIS_SENTINEL_USER = "responsecache.redis.sentinel-user";

    /** Password for the sentinels themselves ({@code sentinel requirepass}). Type: string. Default: none. */
    public static final String REDIS_SENTINEL_PASSWORD = "responsecache.redis.sentinel-password";

    /**
     * With {@code rediss://}: the certificates to trust instead of the JVM's default trust store, as a PEM file of
     * CA certificates or a PKCS12/JKS key store. Type: file path. Default: the JVM's trust store.
     */
    public static final String REDIS_TRUST_STORE = "responsecache.redis.trust-store";

    /**
     * Password of a PKCS12/JKS {@link #REDIS_TRUST_STORE}; set with a PEM trust store, which has none, it fails the
     * start-up. Type: string. Default: none.
     */
    public static final String REDIS_TRUST_STORE_PASSWORD = "responsecache.redis.trust-store-password";

    /**
     * With {@code rediss://}: a PKCS12/JKS key store holding the client's key and certificate, for servers that ask
     * for one ({@code tls-auth-clients yes}); a PEM file fails the start-up. Type: file path. Default: none.
     */
    public static final String REDIS_KEY_STORE = "responsecache.redis.key-store";

    /** Password of {@link #REDIS_KEY_STORE} (and of the key in it). Type: string. Default: none. */
    public static final String REDIS_KEY_STORE_PASSWORD = "responsecache.redis.key-store-password";

    /**
     * A {@link java.util.function.LongSupplier} of monotonic nanoseconds that measures real time spent: how long a
     * coalesced request has waited, the Redis breaker's windows and cool-down, a pipelined Redis read's timeout, when the Redis
     * eviction feed pings its subscription and judges it lost, how often a fault is logged.
     * Programmatic only, for tests that move time instead of waiting. Default: {@code System::nanoTime}.
     */
    public static final String TICKER = "responsecache.ticker";

    /**
     * A {@link java.time.Clock} object that every freshness decision uses. Programmatic only (for example
     * {@code resourceConfig.property(CLOCK, clock)}), for tests that move time instead of waiting.
     * Default: the system clock.
     */
    public static final String CLOCK = "responsecache.clock";

    /**
     * An {@code io.micrometer.core.instrument.MeterRegistry} object the cache registers its meters with (see the
     * table of meters in docs/OPERATIONS.md). Programmatic only (for example
     * {@code resourceConfig.property(METER_REGISTRY, registry)}, or a servlet context attribute of this name); needs
     * {@code io.micrometer:micrometer-core} on the class path. Default: none, and no metrics code is loaded.
     */
    public static final String METER_REGISTRY = "responsecache.meter-registry";

    private ResponseCacheProperties() {
    }
}
