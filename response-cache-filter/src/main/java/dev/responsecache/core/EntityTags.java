package dev.responsecache.core;

/**
 * The one reader of entity tags and their lists (RFC 9110 8.8.3): {@code entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE},
 * where {@code etagc} is any visible character but {@code DQUOTE} (so a comma or a {@code *} may sit inside the
 * quotes), and an {@code If-None-Match} value is either {@code *} alone or a comma-separated list of entity tags.
 * A field that does not parse matches nothing, never a 304 (a 304 says the client's copy is current, which a field
 * the cache cannot read does not show); such a request does not reach a hit at all ({@link #listWellFormed}: the
 * application answers it, as its own reader reads it). Read in place, without
 * splitting or copying: every conditional hit asks.
 */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * RFC 9110 13.1.2: whether an {@code If-None-Match} value names {@code etag} by the weak comparison, or is
     * {@code *} (the whole value, nothing else beside it) and there is a current tag. False for a malformed value.
     */
    static boolean listNames(String field, String etag) {
        if (field == null || etag == null) {
            return false;
        }
        int length = field.length();
        int from = HttpHeaders.trimStart(field, 0, length);
        int to = HttpHeaders.trimEnd(field, from, length);
        if (to - from == 1 && field.charAt(from) == '*') {
            return true;
        }
        String wanted = etag.trim();
        if (!wellFormed(wanted)) {
            return false;
        }
        int wantedOpaque = opaqueStart(wanted, 0);
        int wantedLength = wanted.length() - wantedOpaque;
        boolean named = false;
        boolean any = false;
        int i = from;
        while (i < to) {
            char c = field.charAt(i);
            // 5.6.1: a recipient accepts empty list elements ("a, , b") and whitespace around the commas.
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int end = tagEnd(field, i);
            if (end < 0) {
                return false;
            }
            int opaque = opaqueStart(field, i);
            named |= end - opaque == wantedLength && field.regionMatches(opaque, wanted, wantedOpaque, wantedLength);
            any = true;
            i = HttpHeaders.trimStart(field, end, to);
            if (i < to && field.charAt(i) != ',') {
                return false;
            }
        }
        return any && named;
    }

    /**
     * Whether an {@code If-None-Match} value is {@code *} alone or a list of one or more well-formed entity tags (empty
     * elements and white space around the commas aside, 5.6.1): the only values every reader reads alike.
     */
    static boolean listWellFormed(String field) {
        int length = field.length();
        int from = HttpHeaders.trimStart(field, 0, length);
        int to = HttpHeaders.trimEnd(field, from, length);
        if (to - from == 1 && field.charAt(from) == '*') {
            return true;
        }
        boolean any = false;
        int i = from;
        while (i < to) {
            char c = field.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int end = tagEnd(field, i);
            if (end < 0 || end > to) {
                return false;
            }
            any = true;
            i = HttpHeaders.trimStart(field, end, to);
            if (i < to && field.charAt(i) != ',') {
                return false;
            }
        }
        return any;
    }

    /** RFC 9110 8.8.3.2, weak comparison: both well-formed and their opaque tags equal, either or both weak. */
    static boolean weakMatch(String a, String b) {
        return compare(a, b, false);
    }

    /** RFC 9110 8.8.3.2, strong comparison: both well-formed, neither weak, and equal. */
    static boolean strongMatch(String a, String b) {
        return compare(a, b, true);
    }

    /** Whether {@code text}, surrounding whitespace aside, is one well-formed entity tag. */
    static boolean wellFormed(String text) {
        if (text == null) {
            return false;
        }
        String tag = text.trim();
        return !tag.isEmpty() && tagEnd(tag, 0) == tag.length();
    }

    private static boolean compare(String a, String b, boolean strong) {
        if (!wellFormed(a) || !wellFormed(b)) {
            return false;
        }
        String left = a.trim();
        String right = b.trim();
        int leftOpaque = opaqueStart(left, 0);
        int rightOpaque = opaqueStart(right, 0);
        if (strong && (leftOpaque > 0 || rightOpaque > 0)) {
            return false;
        }
        return left.length() - leftOpaque == right.length() - rightOpaque
                && left.regionMatches(leftOpaque, right, rightOpaque, left.length() - leftOpaque);
    }

    /** Where the opaque tag (its opening quote) of the entity tag starting at {@code start} begins. */
    private static int opaqueStart(String text, int start) {
        return text.startsWith("W/", start) ? start + 2 : start;
    }

    /**
     * The index just past the entity tag that starts at {@code start}, or -1 when none does there: an optional
     * {@code W/} (case-sensitive, 8.8.3), a quote, visible characters other than a quote or obs-text, a quote.
     */
    private static int tagEnd(String text, int start) {
        int i = opaqueStart(text, start);
        int length = text.length();
        if (i >= length || text.charAt(i) != '"') {
            return -1;
        }
        for (i++; i < length; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x21 || c == 0x7F || c > 0xFF) {
                return -1;
            }
        }
        return -1;
    }
}
