package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.CacheSettings;
import dev.responsecache.core.PropertyValues;

import jakarta.servlet.FilterConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Reads a filter's init-params, which mirror {@link dev.responsecache.annotation.CacheResponse}, into a policy. Every
 * error names the filter, the init-param and the value, so a bad web.xml fails the deployment in words that point at
 * the line to fix.
 */
final class FilterPolicy {

    static final String TTL = "ttl";
    static final String VARY_BY = "varyBy";
    static final String STATUSES = "statuses";
    static final String SHARED_ACROSS_USERS = "sharedAcrossUsers";
    private static final Set<String> KNOWN = Set.of(TTL, VARY_BY, STATUSES, SHARED_ACROSS_USERS);

    private FilterPolicy() {
    }

    static CachePolicy from(FilterConfig config, CacheSettings settings) {
        String owner = "filter '" + config.getFilterName() + "'";
        for (String name : Collections.list(config.getInitParameterNames())) {
            if (!KNOWN.contains(name)) {
                // A misspelt parameter would otherwise be silently ignored and the filter cache with defaults.
                throw new ResponseCacheConfigException(owner + ": unknown init-param '" + name
                        + "' (expected " + String.join(", ", List.of(TTL, VARY_BY, STATUSES, SHARED_ACROSS_USERS))
                        + ")");
            }
        }
        PropertyValues params = new PropertyValues(config::getInitParameter);
        try {
            if (params.string(TTL) == null) {
                throw new ResponseCacheConfigException("init-param " + TTL + " is required (seconds, e.g. 60)");
            }
            int ttl = params.positiveInt(TTL, 0);
            List<Integer> statuses = params.statuses(STATUSES, List.of());
            boolean shared = params.bool(SHARED_ACROSS_USERS, false);
            return CachePolicy.of(owner, ttl, varyBy(params.string(VARY_BY)),
                    statuses.stream().mapToInt(Integer::intValue).toArray(), shared, settings);
        } catch (ResponseCacheConfigException e) {
            if (e.getMessage().startsWith(owner)) {
                throw e;
            }
            throw new ResponseCacheConfigException(owner + ": " + e.getMessage(), e);
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
