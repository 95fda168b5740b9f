package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.StaleWindows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one cached endpoint asks for: how long entries live, what keys them, which statuses may be stored, and
 * whether requests with credentials may share entries.
 *
 * @param ttl               how long a stored response is served; longer than {@link #MAX_TTL} is capped to it
 * @param varyBy            request parts that key the entry, in declaration order
 * @param statuses          statuses that may be stored (never a 5xx)
 * @param sharedAcrossUsers the response is declared identical for every user
 * @param staleWindows      how long past the ttl an entry may be served while refreshed, or instead of an error
 * @param route             the endpoint's name in metrics and logs (the resource method {@code Class#method}, or the
 *                          filter's name): a few values per application, never a request's URL
 * @param ttlFromHeaders    freshness comes from each response's headers as for an HTTP shared cache (RFC 9111), the
 *                          ttl only caps it; {@code statuses} and {@code staleWindows} then do not apply
 * @param storesAsSent      entries hold the response as the client got it, after every encoder in front of the
 *                          application (the servlet filter's), and are keyed apart from the JAX-RS adapter's, which
 *                          hold the method's response and go through the runtime's encoders again on every replay:
 *                          the one taken for the other would be encoded twice (or not at all)
 * @param queryKeyedAsSent  the query string keys entries byte for byte as sent, rather than decoded and sorted by
 *                          name: for an endpoint that may read the query as sent (a JAX-RS method with
 *                          {@code @Encoded} or {@code @Context UriInfo}, any servlet), to which {@code ?q=a+b} and
 *                          {@code ?q=a%20b}, or {@code ?a=1&b=2} and {@code ?b=2&a=1}, are different requests
 */
public record CachePolicy(Duration ttl, List<VaryToken> varyBy, Set<Integer> statuses, boolean sharedAcrossUsers,
                          StaleWindows staleWindows, String route, boolean ttlFromHeaders, boolean storesAsSent,
                          boolean queryKeyedAsSent) {

    /** The ttl that asks for header-driven freshness: {@code CacheResponse.FROM_HEADERS}, the filter's "headers". */
    public static final long TTL_FROM_HEADERS = -1;

    /** The route of a policy nobody named. */
    public static final String UNNAMED = "unnamed";

    /** The longest time an entry is served ({@link CacheEntry#MAX_TTL}); a longer ttl is capped to it. */
    public static final Duration MAX_TTL = CacheEntry.MAX_TTL;

    /** Why some statuses are refused in {@code statuses}, for the start-up errors. */
    static final String NEVER_STORED = "a 1xx, a 206 (part of a representation), a 304 (the answer to one client's"
            + " precondition) and a 5xx are never stored as a response to replay";

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    public CachePolicy {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        if (ttl.compareTo(MAX_TTL) > 0) {
            ttl = MAX_TTL;
        }
        varyBy = List.copyOf(varyBy);
        statuses = Set.copyOf(statuses);
        Objects.requireNonNull(staleWindows, "staleWindows");
        route = route == null || route.isBlank() ? UNNAMED : route;
    }

    /** A policy keyed on the query decoded and sorted by name (see {@link #queryKeyedAsSent()}). */
    public CachePolicy(Duration ttl, List<VaryToken> varyBy, Set<Integer> statuses, boolean sharedAcrossUsers,
                       StaleWindows staleWindows, String route, boolean ttlFromHeaders, boolean storesAsSent) {
        this(ttl, varyBy, statuses, sharedAcrossUsers, staleWindows, route, ttlFromHeaders, storesAsSent, false);
    }

    /** A policy of the JAX-RS adapter's kind (see {@link #storesAsSent()}). */
    public CachePolicy(Duration ttl, List<VaryToken> varyBy, Set<Integer> statuses, boolean sharedAcrossUsers,
                       StaleWindows staleWindows, String route, boolean ttlFromHeaders) {
        this(ttl, varyBy, statuses, sharedAcrossUsers, staleWindows, route, ttlFromHeaders, false);
    }

    /** A policy with the annotation's ttl (not header-driven). */
    public CachePolicy(Duration ttl, List<VaryToken> varyBy, Set<Integer> statuses, boolean sharedAcrossUsers,
                       StaleWindows staleWindows, String route) {
        this(ttl, varyBy, statuses, sharedAcrossUsers, staleWindows, route, false);
    }

    /** A policy whose entries are never used past their ttl, under no route name. */
    public CachePolicy(Duration ttl, List<VaryToken> varyBy, Set<Integer> statuses, boolean sharedAcrossUsers) {
        this(ttl, varyBy, statuses, sharedAcrossUsers, StaleWindows.NONE, UNNAMED);
    }

    /** This policy under another route name (see {@link #route()}). */
    public CachePolicy withRoute(String route) {
        return new CachePolicy(ttl, varyBy, statuses, sharedAcrossUsers, staleWindows, route, ttlFromHeaders,
                storesAsSent, queryKeyedAsSent);
    }

    /** This policy, header-driven (see {@link #ttlFromHeaders()}). */
    public CachePolicy fromHeaders() {
        return new CachePolicy(ttl, varyBy, statuses, sharedAcrossUsers, staleWindows, route, true, storesAsSent,
                queryKeyedAsSent);
    }

    /** This policy, storing responses as sent, keyed apart (see {@link #storesAsSent()}): the servlet filter's. */
    public CachePolicy asSent() {
        return new CachePolicy(ttl, varyBy, statuses, sharedAcrossUsers, staleWindows, route, ttlFromHeaders, true,
                queryKeyedAsSent);
    }

    /** This policy, keyed on the query string as sent (see {@link #queryKeyedAsSent()}). */
    public CachePolicy withQueryAsSent() {
        return new CachePolicy(ttl, varyBy, statuses, sharedAcrossUsers, staleWindows, route, ttlFromHeaders,
                storesAsSent, true);
    }

    /** Whether entries are keyed on the authenticated user. */
    public boolean keyedOnUser() {
        return varyBy.contains(new VaryToken.Principal());
    }

    /**
     * Builds a policy from annotation or init-param values, failing with a message that names {@code owner} (the
     * resource method or filter) and the bad value.
     *
     * @param statuses empty for the configured default
     */
    public static CachePolicy of(String owner, long ttlSeconds, String[] varyBy, int[] statuses,
                                 boolean sharedAcrossUsers, CacheSettings settings) {
        return of(owner, ttlSeconds, varyBy, statuses, sharedAcrossUsers, StaleSeconds.DEFAULTS, settings);
    }

    /**
     * Like {@link #of(String, long, String[], int[], boolean, CacheSettings)}, with the stale windows the annotation
     * or init-params give ({@link StaleSeconds#DEFAULT} for the configured default).
     */
    public static CachePolicy of(String owner, long ttlSeconds, String[] varyBy, int[] statuses,
                                 boolean sharedAcrossUsers, StaleSeconds stale, CacheSettings settings) {
        if (ttlSeconds == TTL_FROM_HEADERS) {
            return of(owner, MAX_TTL.toSeconds(), varyBy, statuses, sharedAcrossUsers, stale, settings).fromHeaders();
        }
        if (ttlSeconds <= 0) {
            throw new ResponseCacheConfigException(owner + ": ttl must be positive (or FROM_HEADERS, -1), was " + ttlSeconds);
        }
        List<VaryToken> tokens = new ArrayList<>();
        for (String token : varyBy) {
            try {
                VaryToken parsed = VaryToken.parse(token);
                if (!tokens.contains(parsed)) {
                    tokens.add(parsed);
                }
            } catch (IllegalArgumentException e) {
                throw new ResponseCacheConfigException(owner + ": " + e.getMessage(), e);
            }
        }
        Set<Integer> allowed = new LinkedHashSet<>();
        for (int status : statuses) {
            if (status < 100 || status > 599) {
                throw new ResponseCacheConfigException(owner + ": status " + status + " is not an HTTP status");
            }
            if (!Rfc9111Rules.statusMayBeStored(status)) {
                throw new ResponseCacheConfigException(owner + ": statuses names " + status + ", which can never be"
                        + " cached (" + NEVER_STORED + ")");
            }
            allowed.add(status);
        }
        if (ttlSeconds > MAX_TTL.toSeconds()) {
            LOG.info(owner + ": ttl " + ttlSeconds + " s is capped to " + MAX_TTL.toSeconds()
                    + " s (365 days)");
        }
        return new CachePolicy(Duration.ofSeconds(Math.min(ttlSeconds, MAX_TTL.toSeconds())), tokens,
                allowed.isEmpty() ? settings.cacheableStatuses() : allowed, sharedAcrossUsers,
                stale.resolve(owner, settings.staleWindows()), UNNAMED);
    }
}
