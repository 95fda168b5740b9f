package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The header-driven mode's decisions, as an HTTP shared cache makes them (RFC 9111): whether a response may be
 * stored and what of it, and what a stored response may be used for at a given instant for a given request. Pure
 * functions of their arguments; times are milliseconds on the cache's clock.
 *
 * <p>An entry stored by these rules has {@link CacheEntry#storedAtMillis()} set to the instant the origin generated
 * the response as this cache reckons it (the response time minus the corrected initial age of RFC 9111 4.2.3), so
 * that its age at any later instant is simply {@code now - storedAt}, and {@link CacheEntry#expiresAtMillis()} set to
 * the end of the time it is kept (freshness, then the revalidation and stale windows); its freshness is read again
 * from its headers on every use. The origin's {@code Date} is kept for that, and replayed with the {@code Age} (as
 * a shared cache does) when the application set it; one the container set is not stored.
 */
final class Rfc9111Rules {

    /** RFC 9110 15.1; less 206 (ranges are not cached) and 501 (a server error is never stored here). */
    static final Set<Integer> HEURISTICALLY_CACHEABLE = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414);

    /** What a stored response that matches the request may be used for. */
    enum Use {
        /** Fresh for this request: answered from the cache. */
        FRESH,
        /** Stale, but the request's {@code max-stale} accepts it: answered from the cache. */
        STALE_SERVABLE,
        /**
         * Stale, within the response's {@code stale-while-revalidate} (RFC 5861 3): answered at once while one
         * background refresh (a conditional request when the entry has a validator) runs.
         */
        STALE_WHILE_REVALIDATE,
        /** Must not be used without a successful validation with the origin. */
        MUST_REVALIDATE,
        /** The request says {@code only-if-cached} and nothing stored may answer it: a 504 (RFC 9111 5.2.1.7). */
        ONLY_IF_CACHED_MISS
    }

    /** What to store, and the times that frame its use; or why nothing is stored. */
    record Storage(String refusal, List<Header> headers, long generatedAtMillis, long keepUntilMillis) {

        static Storage refused(String reason) {
            return new Storage(reason, List.of(), 0, 0);
        }
    }

    private Rfc9111Rules() {
    }

    /**
     * Whether a response to a GET may be stored, and what.
     *
     * @param requestMillis       when the request went forward
     * @param responseMillis      when the response came back (now)
     * @param requestAuthorized   the request carried {@code Authorization} (RFC 9111 3.5)
     * @param capMillis           the longest freshness given (the endpoint's ttl)
     */
    static Storage storage(int status, List<Header> responseHeaders, String statusHeader, long requestMillis,
                           long responseMillis, boolean requestAuthorized, HeaderModeSettings settings,
                           long capMillis) {
        String refusal = refusal(status, responseHeaders, requestAuthorized);
        if (refusal != null) {
            return Storage.refused(refusal);
        }
        List<Header> kept = storedHeaders(responseHeaders, statusHeader);
        long generatedAt = responseMillis - correctedInitialAge(responseHeaders, requestMillis, responseMillis);
        CacheControl cc = CacheControl.of(kept);
        boolean validator = hasValidator(kept);
        if (cc.unqualified("no-cache") && !validator) {
            // Must be validated before each use, and cannot be: storing it would only waste memory.
            return Storage.refused("no-cache");
        }
        long lifetime = cc.unqualified("no-cache") ? 0 : lifetimeMillis(status, kept, generatedAt, settings,
                capMillis);
        if (lifetime == 0 && !validator) {
            return Storage.refused("no-lifetime");
        }
        long pastFreshness = validator ? settings.keepForRevalidation() : 0;
        if (!forbidsStale(cc)) {
            pastFreshness = Math.max(pastFreshness, Math.max(cc.seconds("stale-if-error"),
                    cc.seconds("stale-while-revalidate")));
        }
        long keepUntil = generatedAt + lifetime + pastFreshness;
        if (keepUntil <= responseMillis) {
            return Storage.refused("stale");
        }
        return new Storage(null, kept, generatedAt, keepUntil);
    }

    /** Whether a response with this status may be stored at all, whatever its headers say. */
    static boolean statusMayBeStored(int status) {
        return status >= 200 && status < 500 && status != 206 && status != 304;
    }

    /**
     * The rules that refuse a response whatever headers are added to it later, so that an adapter may stop capturing
     * its body as soon as its status or a header is set: the status, {@code no-store}, {@code private},
     * {@code Set-Cookie}, {@code Vary: *}, a {@code text/event-stream} type. (A missing lifetime or validator may
     * still be supplied.)
     */
    static String earlyRefusal(int status, List<Header> headers) {
        if (!statusMayBeStored(status)) {
            return "status";
        }
        if (StorageRules.isEventStream(Header.firstValue(headers, "Content-Type"))) {
            return "stream";
        }
        CacheControl cc = CacheControl.of(headers);
        if (cc.has("no-store")) {
            return "no-store";
        }
        if (cc.unqualified("private")) {
            return "private";
        }
        if (HttpHeaders.contains(headers, "Set-Cookie") || HttpHeaders.contains(headers, "Set-Cookie2")) {
            // Not an RFC rule: a response that sets a cookie is one user's, whatever it says (Varnish agrees).
            return "set-cookie";
        }
        if (HttpHeaders.elements(headers, "Vary").contains("*")) {
            return "vary-star";
        }
        return null;
    }

    /** The rules that refuse a response whatever its times; null when none does. */
    static String refusal(int status, List<Header> headers, boolean requestAuthorized) {
        String early = earlyRefusal(status, headers);
        if (early != null) {
            return early;
        }
        CacheControl cc = CacheControl.of(headers);
        if (requestAuthorized && !(cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate"))) {
            return "authorization";
        }
        boolean explicit = cc.seconds("s-maxage") >= 0 || cc.seconds("max-age") >= 0
                || HttpHeaders.contains(headers, "Expires");
        if (!explicit && !cc.has("public") && !HEURISTICALLY_CACHEABLE.contains(status)) {
            return "status";
        }
        if (!hasValidator(headers)) {
            // Nothing to revalidate with: without a lifetime (heuristic freshness needs a validator too), or when
            // every use needs validation, storing it would only take memory.
            if (cc.unqualified("no-cache")) {
                return "no-cache";
            }
            if (!explicit) {
                return "no-lifetime";
            }
        }
        return null;
    }

    /**
     * What a stored entry that matches the request (key and Vary) may be used for at {@code nowMillis}.
     *
     * @param request   the request's {@code Cache-Control}
     * @param capMillis the longest freshness given (the endpoint's ttl)
     */
    static Use use(long nowMillis, CacheControl request, CacheEntry entry, HeaderModeSettings settings,
                   long capMillis) {
        Use use = useIgnoringOnlyIfCached(nowMillis, request, entry, settings, capMillis);
        // A stale-while-revalidate answer is a stored response too: it satisfies only-if-cached (the refresh behind
        // it is the cache's, not the client's).
        if (request.has("only-if-cached") && use != Use.FRESH && use != Use.STALE_SERVABLE
                && use != Use.STALE_WHILE_REVALIDATE) {
            return Use.ONLY_IF_CACHED_MISS;
        }
        return use;
    }

    private static Use useIgnoringOnlyIfCached(long nowMillis, CacheControl request, CacheEntry entry,
                                               HeaderModeSettings settings, long capMillis) {
        CacheControl cc = CacheControl.of(entry.headers());
        long age = Math.max(0, nowMillis - entry.storedAtMillis());
        long lifetime = cc.unqualified("no-cache") ? 0 : lifetimeMillis(entry.status(), entry.headers(),
                entry.storedAtMillis(), settings, capMillis);
        boolean fresh = lifetime > age;
        if (fresh && cc.has("immutable")) {
            // RFC 8246: a fresh immutable response is not revalidated when a client reloads.
            return Use.FRESH;
        }
        if (settings.honourClientRefresh()) {
            // An unreadable bound (max-age=abc, min-fresh=-1, two different values) cannot widen what is served:
            // it is taken as the narrowest, which sends the request on to the origin.
            long maxAge = request.invalid("max-age") ? 0 : request.seconds("max-age");
            long minFresh = request.invalid("min-fresh") ? Long.MAX_VALUE : request.seconds("min-fresh");
            if (request.has("no-cache") || (maxAge >= 0 && age > maxAge)
                    || (minFresh >= 0 && lifetime - age < minFresh)) {
                return Use.MUST_REVALIDATE;
            }
        }
        if (fresh) {
            return Use.FRESH;
        }
        if (forbidsStale(cc)) {
            return Use.MUST_REVALIDATE;
        }
        long staleness = age - lifetime;
        String maxStale = request.argument("max-stale");
        if (maxStale != null && (maxStale.isEmpty() && !request.conflicting("max-stale")
                || staleness <= request.seconds("max-stale"))) {
            return Use.STALE_SERVABLE;
        }
        long whileRevalidate = cc.seconds("stale-while-revalidate");
        if (whileRevalidate >= 0 && staleness < whileRevalidate) {
            return Use.STALE_WHILE_REVALIDATE;
        }
        return Use.MUST_REVALIDATE;
    }

    /**
     * Whether a stale entry may replace an error of the origin: within the response's {@code stale-if-error}, or the
     * request's (RFC 5861 4: either permits it, the request's for that request only); never for a response that
     * forbids stale use (RFC 9111 4.2.4).
     *
     * @param request the request's {@code Cache-Control}
     */
    static boolean servesOnError(long nowMillis, CacheControl request, CacheEntry entry, HeaderModeSettings settings,
                                 long capMillis) {
        CacheControl cc = CacheControl.of(entry.headers());
        long ifError = Math.max(cc.seconds("stale-if-error"), request.seconds("stale-if-error"));
        if (ifError < 0 || forbidsStale(cc)) {
            return false;
        }
        long age = Math.max(0, nowMillis - entry.storedAtMillis());
        long lifetime = lifetimeMillis(entry.status(), entry.headers(), entry.storedAtMillis(), settings, capMillis);
        return age >= lifetime && age - lifetime < ifError;
    }

    /** Freshness left at {@code nowMillis}, negative once stale. */
    static long remainingMillis(long nowMillis, CacheEntry entry, HeaderModeSettings settings, long capMillis) {
        CacheControl cc = CacheControl.of(entry.headers());
        long lifetime = cc.unqualified("no-cache") ? 0 : lifetimeMillis(entry.status(), entry.headers(),
                entry.storedAtMillis(), settings, capMillis);
        return lifetime - Math.max(0, nowMillis - entry.storedAtMillis());
    }

    /**
     * RFC 9111 4.2.1: {@code s-maxage}, then {@code max-age}, then {@code Expires} minus {@code Date}; otherwise the
     * configured heuristic freshness for a response with a validator and a heuristically cacheable status (or
     * {@code public}), else 0. Never more than {@code capMillis}. An {@code s-maxage} or {@code max-age} that is
     * present but invalid (negative, not a number, given twice with different values) makes the response stale
     * (4.2.1), and voids {@code Expires} all the same (5.3): such a response is stored only with a validator, and
     * revalidated before each use.
     */
    static long lifetimeMillis(int status, List<Header> headers, long generatedAtMillis,
                               HeaderModeSettings settings, long capMillis) {
        CacheControl cc = CacheControl.of(headers);
        String directive = cc.has("s-maxage") ? "s-maxage" : cc.has("max-age") ? "max-age" : null;
        long lifetime = directive == null ? -1 : Math.max(0, cc.seconds(directive));
        if (lifetime < 0 && HttpHeaders.contains(headers, "Expires")) {
            // Read as of the response's generation, so that an obsolete date's century is the same on every use.
            Long expires = HttpDates.parse(Header.firstValue(headers, "Expires"), generatedAtMillis);
            Long date = HttpDates.parse(Header.firstValue(headers, "Date"), generatedAtMillis);
            // An invalid Expires (such as "0") means already expired (RFC 9111 5.3).
            lifetime = expires == null ? 0 : Math.max(0, expires - (date == null ? generatedAtMillis : date));
        }
        if (lifetime < 0) {
            lifetime = settings.heuristicMillis() > 0 && hasValidator(headers)
                    && (HEURISTICALLY_CACHEABLE.contains(status) || cc.has("public")) ? settings.heuristicMillis() : 0;
        }
        return Math.min(lifetime, capMillis);
    }

    /**
     * RFC 9111 4.2.3: the age the response already had when it arrived, from the origin's {@code Date} and the
     * {@code Age} of caches upstream, plus the time the request spent forward.
     */
    static long correctedInitialAge(List<Header> headers, long requestMillis, long responseMillis) {
        Long date = HttpDates.parse(Header.firstValue(headers, "Date"), responseMillis);
        long apparentAge = date == null ? 0 : Math.max(0, responseMillis - date);
        long ageValue = deltaSeconds(Header.firstValue(headers, "Age"));
        long responseDelay = Math.max(0, responseMillis - requestMillis);
        long correctedAgeValue = Math.max(0, ageValue) + responseDelay;
        return Math.min(Math.max(apparentAge, correctedAgeValue), CachePolicy.MAX_TTL.toMillis());
    }

    /**
     * RFC 9111 4.3.4: the stored headers updated by those of a 304 that validated them: each field the 304 carries
     * replaces the stored lines of that name, except the framing the stored body keeps.
     */
    static List<Header> refreshed(List<Header> stored, List<Header> notModified, String statusHeader) {
        List<Header> fresh = storedHeaders(notModified, statusHeader);
        Set<String> replaced = new HashSet<>();
        List<Header> kept = new ArrayList<>();
        for (Header header : fresh) {
            String lower = header.name().toLowerCase(Locale.ROOT);
            if (!lower.equals("content-length") && !lower.equals("content-encoding")
                    && !lower.equals("content-type") && !lower.equals("content-range")) {
                replaced.add(lower);
                kept.add(header);
            }
        }
        List<Header> merged = new ArrayList<>();
        for (Header header : stored) {
            if (!replaced.contains(header.name().toLowerCase(Locale.ROOT))) {
                merged.add(header);
            }
        }
        merged.addAll(kept);
        return storedHeaders(merged, statusHeader);
    }

    /**
     * RFC 9111 4.3.4: whether a 304 identifies the stored response for update. An entity tag it carries decides: it
     * must be the stored one by the weak comparison, the one {@code If-None-Match} is evaluated with (RFC 9110
     * 13.1.2), since an origin may mark only its encoded 200s weak (nginx's gzip) and not the 304, which has no body
     * to encode. Without one, a {@code Last-Modified} it carries must be the stored date. A 304 that carries neither
     * updates the stored response it answers (origins often leave them out; the request named the stored ones).
     * Otherwise the 304 is about another representation than the stored one (an origin that evaluated only
     * {@code If-Modified-Since}, say, for a change within the same second), whose body the cache does not have.
     */
    static boolean validates(List<Header> stored, List<Header> notModified, long nowMillis) {
        String tag = Header.firstValue(notModified, "ETag");
        if (tag != null) {
            String storedTag = Header.firstValue(stored, "ETag");
            // The very same text identifies it too, even a tag an origin wrote without its quotes.
            return EntityTags.weakMatch(tag, storedTag) || storedTag != null && tag.trim().equals(storedTag.trim());
        }
        String modified = Header.firstValue(notModified, "Last-Modified");
        if (modified != null) {
            String storedModified = Header.firstValue(stored, "Last-Modified");
            if (storedModified == null) {
                return false;
            }
            Long sent = HttpDates.parse(modified, nowMillis);
            Long kept = HttpDates.parse(storedModified, nowMillis);
            return sent != null && kept != null ? sent.equals(kept) : modified.trim().equals(storedModified.trim());
        }
        return true;
    }

    /**
     * Whether a validating 304 names other request fields in {@code Vary} than the stored response (in any order or
     * case; a 304 without {@code Vary} leaves the stored one). The entry was selected for the stored fields only: kept
     * with the new {@code Vary} it would still be chosen by the old ones, and answer every user the response one
     * request validated (RFC 9111 4.1 selects by the fields the stored response's {@code Vary} names).
     */
    static boolean changesVary(List<Header> stored, List<Header> notModified) {
        if (!HttpHeaders.contains(notModified, "Vary")) {
            return false;
        }
        return !lowerCase(HttpHeaders.elements(stored, "Vary")).equals(lowerCase(HttpHeaders.elements(notModified,
                "Vary")));
    }

    private static Set<String> lowerCase(List<String> names) {
        Set<String> lower = new HashSet<>();
        for (String name : names) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        return lower;
    }

    /**
     * The request header that revalidates the entry: {@code If-None-Match} with the origin's own {@code ETag}, else
     * {@code If-Modified-Since} with its {@code Last-Modified}; empty when it has neither. Never both: an origin
     * that honours {@code If-None-Match} ignores {@code If-Modified-Since} beside it (RFC 9110 13.1.3), and one that
     * reads only dates would answer 304 for another representation changed within the same second, whose body the
     * cache does not have; without the date it answers the whole 200. The tag the ttl mode derived from the body is
     * never sent: the origin never issued it. The entry records which tag that is ({@link CacheEntry#derivedETag()});
     * an equal value is no sign, since an origin running this library in the ttl mode issues the very same tag.
     */
    static List<Header> conditionalHeaders(CacheEntry entry) {
        String etag = Header.firstValue(entry.headers(), "ETag");
        if (etag != null && !entry.derivedETag()) {
            return List.of(new Header("If-None-Match", etag));
        }
        String lastModified = Header.firstValue(entry.headers(), "Last-Modified");
        return lastModified == null ? List.of() : List.of(new Header("If-Modified-Since", lastModified));
    }

    /**
     * RFC 9110 13.1.3: a request's {@code If-Modified-Since} (evaluated only without {@code If-None-Match}) is met by
     * an entry last modified at or before it, so the answer is a 304.
     */
    static boolean notModifiedSince(CacheRequest request, CacheEntry entry, long nowMillis) {
        // Asked on every hit: one header read when the request has no date, nothing of the entry parsed.
        String date = request.header("If-Modified-Since");
        if (date == null || request.header("If-None-Match") != null) {
            return false;
        }
        Long since = HttpDates.parse(date, nowMillis);
        Long lastModified = since == null ? null
                : HttpDates.parse(Header.firstValue(entry.headers(), "Last-Modified"), nowMillis);
        return lastModified != null && lastModified <= since;
    }

    static boolean hasValidator(List<Header> headers) {
        return HttpHeaders.contains(headers, "ETag") || HttpHeaders.contains(headers, "Last-Modified");
    }

    /**
     * RFC 9111 5.2.2.2, 5.2.2.8, 5.2.2.10: a stale response may not be used without validation, not even on an
     * error. A shared cache treats {@code s-maxage} as implying {@code proxy-revalidate}.
     */
    static boolean forbidsStale(CacheControl cc) {
        return cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage")
                || cc.unqualified("no-cache");
    }

    /**
     * What of a response is stored: not the hop-by-hop fields (RFC 9110 7.6.1) nor those {@code Connection}
     * names, not {@code Age} (recomputed), not the fields a qualified {@code private} or {@code no-cache} names
     * (RFC 9111 5.2.2.4, 5.2.2.7: the rest of the response may be stored).
     */
    static List<Header> storedHeaders(List<Header> headers, String statusHeader) {
        Set<String> dropped = new HashSet<>();
        for (String name : HttpHeaders.elements(headers, "Connection")) {
            dropped.add(name.toLowerCase(Locale.ROOT));
        }
        CacheControl cc = CacheControl.of(headers);
        dropped.addAll(cc.fieldNames("private"));
        dropped.addAll(cc.fieldNames("no-cache"));
        List<Header> kept = new ArrayList<>(headers.size());
        for (Header header : headers) {
            String lower = header.name().toLowerCase(Locale.ROOT);
            if ((lower.equals("date") || HttpHeaders.isStored(lower, statusHeader)) && !dropped.contains(lower)) {
                kept.add(header);
            }
        }
        return kept;
    }

    /** An {@code Age} value in milliseconds (RFC 9111 5.1); 0 when absent or invalid, at most a year. */
    private static long deltaSeconds(String value) {
        if (value == null) {
            return 0;
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty() || !trimmed.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return trimmed.length() > 9 ? CachePolicy.MAX_TTL.toMillis()
                : Math.min(Long.parseLong(trimmed) * 1000, CachePolicy.MAX_TTL.toMillis());
    }
}
