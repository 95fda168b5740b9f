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
        // One pass over the headers without copying them: every miss asks this several times.
        boolean setCookie = false;
        boolean noStore = false;
        boolean forOneUser = false;
        boolean noCache = false;
        boolean varyStar = false;
        boolean eventStream = false;
        for (Header header : headers) {
            if (header.is("Set-Cookie") || header.is("Set-Cookie2")) {
                setCookie = true;
            } else if (header.is("Cache-Control")) {
                String value = header.value();
                noStore |= HttpHeaders.hasElement(value, "no-store", true);
                forOneUser |= HttpHeaders.hasElement(value, "private", true);
                noCache |= HttpHeaders.hasElement(value, "no-cache", true);
            } else if (header.is("Vary")) {
                varyStar |= HttpHeaders.hasElement(header.value(), "*", false);
            } else if (header.is("Content-Type")) {
                eventStream |= isEventStream(header.value());
            }
        }
        if (eventStream) {
            return "stream";
        }
        if (setCookie) {
            return "set-cookie";
        }
        // private: for one user only; no-store: must not be kept; no-cache: must be revalidated with the origin
        // before each reuse, which a cache in front of the method cannot do.
        if (noStore) {
            return "no-store";
        }
        if (forOneUser) {
            return "private";
        }
        if (noCache) {
            return "no-cache";
        }
        return varyStar ? "vary-star" : null;
    }

    /**
     * Whether a {@code Content-Type} is {@code text/event-stream}: server-sent events, written one by one for as long
     * as the stream lasts, each client its own from the moment it subscribes. Whatever writes it, what the cache could
     * keep is the stream's start (nothing, when the headers go out first), never a response to replay: not stored.
     */
    static boolean isEventStream(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return type.equalsIgnoreCase("text/event-stream");
    }

    /** A status check before the body is produced, so that an uncacheable body is never captured. */
    static boolean statusAllowed(int status, CachePolicy policy) {
        // A 206 is part of a representation (RFC 9110 14), a 304 one client's precondition answered, a 1xx no answer
        // at all: stored, each would answer requests that asked for the whole representation. Checked here as well
        // as at start-up, for a policy built by other means.
        return Rfc9111Rules.statusMayBeStored(status) && policy.statuses().contains(status);
    }
}
