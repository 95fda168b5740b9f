package dev.responsecache.core;

import java.util.List;

/**
 * Whether a request carries a precondition the cache leaves to the application. RFC 9111 4.3.2: {@code If-Match}
 * and {@code If-Unmodified-Since} are not applicable to a cache, which must not answer as if they were absent; a
 * WebDAV {@code If} (RFC 4918 10.4) is a precondition on lock tokens and entity tags the cache cannot know either.
 * Such a request bypasses the cache, as a request carrying content does: it is forwarded unchanged (the application
 * answers 412, or the whole representation, or, for a resumed download, the range it asked for) and its response is
 * not stored. Evaluating them against the stored validators was not chosen: the entry's tag may be one the cache
 * derived from the body, or the gzip representation's, which the application never issued and would not match, and
 * {@code If-Unmodified-Since} depends on a {@code Last-Modified} the application may not send; a bypass is right
 * whatever the application does, and these requests are rare (resumed downloads, updates read back before a write).
 * {@code If-None-Match} and {@code If-Modified-Since} are evaluated (RFC 9111 4.3.2 asks a cache to; the latter
 * against the stored {@code Last-Modified}, without {@code If-None-Match}) when their values are ones every reader
 * reads alike ({@link #carried}). A {@code Range} is answered from the entry in its one form that servlets read
 * alike, without {@code If-Range} ({@link ByteRanges#answerable}); any other, and any {@code If-Range} with it, is
 * left to the application too, and so is any {@code Range} on a runtime that may cut the application's response
 * itself ({@link CacheRequest#runtimeCutsRanges}: RESTEasy, a {@code File} entity). Without a {@code Range},
 * {@code If-Range} is ignored, as RFC 9110 13.1.5 tells every server to.
 */
final class OriginPreconditions {

    /**
     * The headers {@link #carried} reads, asked about at once first ({@link CacheRequest#mayCarryAnyOf}): nearly no
     * request carries one, and every lookup asks. ({@code If-Range} counts only with a {@code Range}.)
     */
    private static final List<String> READ = List.of("if-match", "if-unmodified-since", "if", "if-modified-since",
            "if-none-match", "range");

    private OriginPreconditions() {
    }

    /**
     * True when {@code If-Match}, {@code If-Unmodified-Since} or {@code If} is present, whatever its value, or an
     * {@code If-Modified-Since} that is not a date every reader reads alike
     * ({@link HttpDates#readAlikeEverywhere}): the application answers it as its own reader reads it (Jetty a 304,
     * Jersey the whole 200, Tomcat a 500 for {@code 01 Jan 2020 00:00:00 GMT}), which no answer of the cache's can
     * be sure to match; or an {@code If-None-Match} that is not {@code *} or a list of entity tags
     * ({@link EntityTags#listWellFormed}): Jersey's {@code evaluatePreconditions} refuses {@code If-None-Match: v1}
     * with a 400, where a method that reads no validator answers the whole 200; or a {@code Range} the entry does
     * not answer as servlets do ({@link ByteRanges#answerable}): with {@code If-Range: yesterday} Tomcat's default
     * servlet answers a 400 and Jetty's the part, where the cache answered the whole 200.
     */
    static boolean carried(CacheRequest request, long nowMillis) {
        if (!request.mayCarryAnyOf(READ)) {
            return false;
        }
        // Lower case: Jersey lower-cases the name of every header lookup, which costs a copy unless it already is.
        if (request.header("if-match") != null || request.header("if-unmodified-since") != null
                || request.header("if") != null) {
            return true;
        }
        String since = request.header("if-modified-since");
        if (since != null && !HttpDates.readAlikeEverywhere(since, nowMillis)) {
            return true;
        }
        String noneMatch = request.header("if-none-match");
        if (noneMatch != null && !EntityTags.listWellFormed(noneMatch)) {
            return true;
        }
        String range = request.header("range");
        return range != null && (request.runtimeCutsRanges()
                || !ByteRanges.answerable(request.method(), range, request.header("if-range")));
    }
}
