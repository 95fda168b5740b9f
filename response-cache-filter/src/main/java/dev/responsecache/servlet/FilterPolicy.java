package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.CacheSettings;
import dev.responsecache.core.ErrorFallback;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.core.StaleSeconds;
import dev.responsecache.core.UnknownProperties;

import jakarta.servlet.FilterConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a filter's init-params, which mirror {@link dev.responsecache.annotation.CacheResponse}, into a policy. Every
 * error names the filter, the init-param and the value, so a bad web.xml fails the deployment in words that point at
 * the line to fix.
 */
final class FilterPolicy {

    static final String TTL = "ttl";
    /** The {@code ttl} init-param value of the header-driven mode. */
    static final String HEADERS = "headers";
    static final String VARY_BY = "varyBy";
    static final String STATUSES = "statuses";
    static final String SHARED_ACROSS_USERS = "sharedAcrossUsers";
    static final String EARLY_JAXRS_HITS = "earlyJaxrsHits";
    static final String STALE_WHILE_REVALIDATE = "staleWhileRevalidate";
    static final String STALE_IF_ERROR = "staleIfError";
    static final String STALE_IF_ERROR_DEADLINE = "staleIfErrorDeadline";
    private static final List<String> KNOWN = List.of(TTL, VARY_BY, STATUSES, SHARED_ACROSS_USERS, EARLY_JAXRS_HITS,
            FilterTags.TAGS, FilterTags.TAG_PATH, STALE_WHILE_REVALIDATE, STALE_IF_ERROR, STALE_IF_ERROR_DEADLINE);

    private FilterPolicy() {
    }

    /**
     * Whether the filter answers JAX-RS entries in front of the JAX-RS runtime ({@code earlyJaxrsHits=true}) rather
     * than caching what it is mapped in front of. Such a filter has no policy of its own: each path is answered with
     * the policy of the resource method that stored it, so the policy init-params are refused.
     */
    static boolean earlyJaxrsHits(FilterConfig config) {
        String owner = owner(config);
        checkNames(config, owner);
        PropertyValues params = new PropertyValues(config::getInitParameter);
        boolean early;
        try {
            early = params.bool(EARLY_JAXRS_HITS, false);
        } catch (ResponseCacheConfigException e) {
            throw new ResponseCacheConfigException(owner + ": " + e.getMessage(), e);
        }
        if (early) {
            for (String name : List.of(TTL, VARY_BY, STATUSES, SHARED_ACROSS_USERS, FilterTags.TAGS,
                    FilterTags.TAG_PATH, STALE_WHILE_REVALIDATE, STALE_IF_ERROR, STALE_IF_ERROR_DEADLINE)) {
                if (params.string(name) != null) {
                    throw new ResponseCacheConfigException(owner + ": init-param " + name + " does not apply with "
                            + EARLY_JAXRS_HITS + "=true (entries are answered with their resource method's policy)");
                }
            }
        }
        return early;
    }

    static CachePolicy from(FilterConfig config, CacheSettings settings) {
        String owner = owner(config);
        checkNames(config, owner);
        PropertyValues params = new PropertyValues(config::getInitParameter);
        try {
            if (params.string(TTL) == null) {
                throw new ResponseCacheConfigException("init-param " + TTL + " is required (seconds, e.g. 60)");
            }
            // ttl=headers: freshness from each response's headers, as an HTTP shared cache (RFC 9111).
            long ttl = ttl(params.string(TTL));
            List<Integer> statuses = params.statuses(STATUSES, List.of());
            boolean shared = params.bool(SHARED_ACROSS_USERS, false);
            StaleSeconds stale = new StaleSeconds(seconds(params, STALE_WHILE_REVALIDATE),
                    seconds(params, STALE_IF_ERROR));
            return CachePolicy.of(owner, ttl, varyBy(params.string(VARY_BY)),
                    statuses.stream().mapToInt(Integer::intValue).toArray(), shared, stale, settings)
                    .withRoute(config.getFilterName()).asSent().withQueryAsSent();
        } catch (ResponseCacheConfigException e) {
            if (e.getMessage().startsWith(owner)) {
                throw e;
            }
            throw new ResponseCacheConfigException(owner + ": " + e.getMessage(), e);
        }
    }

    private static long ttl(String value) {
        if (HEADERS.equalsIgnoreCase(value.trim())) {
            return CachePolicy.TTL_FROM_HEADERS;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ResponseCacheConfigException.badValue(TTL, value, "whole seconds > 0, or " + HEADERS);
    }

    /** The filter's {@code staleIfErrorDeadline} in seconds: -1 (absent) for the configured default, 0 for none. */
    static long staleIfErrorDeadline(FilterConfig config) {
        String owner = owner(config);
        long seconds;
        try {
            seconds = seconds(new PropertyValues(config::getInitParameter), STALE_IF_ERROR_DEADLINE);
        } catch (ResponseCacheConfigException e) {
            throw new ResponseCacheConfigException(owner + ": " + e.getMessage(), e);
        }
        return ErrorFallback.checkedDeadline(owner, seconds);
    }

    /** The tags of the filter's entries, checked like the rest of its init-params. */
    static FilterTags tags(FilterConfig config) {
        return FilterTags.from(config, owner(config));
    }

    /** Whole seconds, zero allowed; absent means the configured default. */
    private static long seconds(PropertyValues params, String name) {
        String value = params.string(name);
        if (value == null) {
            return StaleSeconds.DEFAULT;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ResponseCacheConfigException.badValue(name, value, "whole seconds, 0 or more");
    }

    private static String owner(FilterConfig config) {
        return "filter '" + config.getFilterName() + "'";
    }

    private static void checkNames(FilterConfig config, String owner) {
        for (String name : Collections.list(config.getInitParameterNames())) {
            if (!KNOWN.contains(name)) {
                // A misspelt parameter would otherwise be silently ignored and the filter cache with defaults.
                String meant = UnknownProperties.nearest(name, KNOWN);
                throw new ResponseCacheConfigException(owner + ": unknown init-param '" + name + "'"
                        + (meant == null ? "" : "; did you mean '" + meant + "'?")
                        + " (expected " + String.join(", ", KNOWN) + ")");
            }
        }
    }

    private static String[] varyBy(String value) {
        List<String> tokens = new ArrayList<>();
        if (value != null) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    tokens.add(token.trim());
                }
            }
        }
        return tokens.toArray(new String[0]);
    }
}
