package dev.responsecache.core;

import dev.responsecache.spi.Header;

import java.util.List;

/**
 * Whether a response may be stored. A pure function of the status, the response headers and the policy; the answer
 * is a reason for refusing (shown in {@code Cache-Status}), or null when the response may be stored.
 */
final class StorageRules {

    private StorageRules() {
    }

    static String refusal(int status, List<Header> headers, CachePolicy policy) {
        if (!statusAllowed(status, policy)) {
            return "status";
        }
        if (HttpHeaders.contains(headers, "Set-Cookie") || HttpHeaders.contains(headers, "Set-Cookie2")) {
            return "set-cookie";
        }
        // private: for one user only; no-store: must not be kept; no-cache: must be revalidated with the origin
        // before each reuse, which a cache in front of the method cannot do.
        for (String directive : List.of("no-store", "private", "no-cache")) {
            if (HttpHeaders.hasDirective(headers, directive)) {
                return directive;
            }
        }
        if (HttpHeaders.elements(headers, "Vary").contains("*")) {
            return "vary-star";
        }
        return null;
    }

    /** A status check before the body is produced, so that an uncacheable body is never captured. */
    static boolean statusAllowed(int status, CachePolicy policy) {
        // A 206 is part of a representation (RFC 9110 14): stored, it would answer a request for all of it.
        return status < 500 && status != 206 && policy.statuses().contains(status);
    }
}
