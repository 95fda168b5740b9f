package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers from stale entries in place of an error of the method (stale-if-error), and the log of those outages:
 * one warning when a key starts being answered stale, one note when its method answers again, nothing per request.
 */
final class StaleAnswers {

    private static final System.Logger LOG = System.getLogger("dev.responsecache");
    /** Keys are remembered only while failing; past this many at once the set is cleared rather than grown. */
    private static final int MAX_OUTAGES = 10_000;

    /** What was logged of each key's outage: {@link #SERVED}, {@link #NOT_WRITTEN}, both. */
    private final Map<String, Integer> failing = new ConcurrentHashMap<>();
    private static final int SERVED = 1;
    private static final int NOT_WRITTEN = 2;

    /**
     * The RFC 9211 status of an answer from a stale entry after the method failed: the request went forward because
     * the entry was stale ({@code fwd=stale}), the method answered {@code fwd-status}, and the entry is past its
     * freshness by the negative {@code ttl}.
     */
    static String cacheStatus(CacheEntry entry, long nowMillis, int methodStatus) {
        return Lookup.CACHE_NAME + "; fwd=stale; fwd-status=" + methodStatus + "; ttl="
                + Math.floorDiv(entry.expiresAtMillis() - nowMillis, 1000);
    }

    /**
     * The answer to give instead of the method's error {@code status}, or null when the error goes to the client:
     * not a 5xx, no usable stale entry, or its window has passed while the method ran. Logs nothing: the outage is
     * logged as the answer turns out ({@link #served}, {@link #notWritten}).
     */
    Lookup answer(Lookup lookup, int status, long nowMillis) {
        CacheEntry stale = lookup.staleOnError();
        return answer(lookup, status, nowMillis, stale != null && Staleness.of(stale, nowMillis).servesOnError());
    }

    /** As {@link #answer(Lookup, int, long)}, where {@code usable} says whether the stale entry may still be used. */
    Lookup answer(Lookup lookup, int status, long nowMillis, boolean usable) {
        CacheEntry stale = lookup.staleOnError();
        if (status < 500 || stale == null || !usable) {
            return null;
        }
        boolean notModified = stale.status() >= 200 && stale.status() < 300
                && GzipAnswers.noneMatchHits(stale, lookup.request());
        return new Lookup(notModified ? Lookup.Outcome.NOT_MODIFIED : Lookup.Outcome.HIT, "stale", lookup.request(),
                lookup.policy(), lookup.key(), stale, nowMillis, null).replacing(status);
    }

    /** {@code answer} went to the client: the first of its key's outage starts the episode's log. */
    void served(Lookup answer) {
        if (firstOf(answer.key(), SERVED)) {
            // The path, not the key: a key may hold a user's name or a cookie value, which has no place in a log.
            LOG.log(System.Logger.Level.WARNING, answer.request().method() + " " + answer.request().rawPath()
                    + " " + answer.failureText() + "; serving the stale entry (stale-if-error) until it"
                    + " answers again");
        }
    }

    /**
     * {@code answer} could not be written (a line the container or a response wrapper in front refused, logged by
     * the adapter's fault log) and the application's own answer went to the client instead: said once per outage,
     * never as the stale entry served.
     */
    void notWritten(Lookup answer) {
        if (firstOf(answer.key(), NOT_WRITTEN)) {
            LOG.log(System.Logger.Level.WARNING, answer.request().method() + " " + answer.request().rawPath()
                    + " " + answer.failureText() + "; its stale entry (stale-if-error) could not be"
                    + " written, so the application's own answer went to the client");
        }
    }

    /** Whether {@code kind} is new to the outage of {@code key} (remembered from now on). */
    private boolean firstOf(String key, int kind) {
        if (failing.size() >= MAX_OUTAGES) {
            failing.clear();
        }
        Integer before = failing.putIfAbsent(key, kind);
        while (before != null && (before & kind) == 0) {
            if (failing.replace(key, before, before | kind)) {
                return true;
            }
            before = failing.putIfAbsent(key, kind);
        }
        return before == null;
    }

    /** The method of {@code key} answered normally again: its next failure is a new outage, logged again. */
    void recovered(Lookup lookup) {
        Integer logged;
        if (!failing.isEmpty() && (logged = failing.remove(lookup.key())) != null) {
            LOG.log(System.Logger.Level.INFO, lookup.request().method() + " " + lookup.request().rawPath()
                    + " answers again" + ((logged & SERVED) != 0 ? "; no longer serving it stale" : ""));
        }
    }
}
