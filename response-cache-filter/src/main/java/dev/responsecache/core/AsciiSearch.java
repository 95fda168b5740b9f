package dev.responsecache.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A search for a short text (a host name) in a body, without case for ASCII letters, on every stored miss: Horspool's
 * algorithm, which looks at about one byte in every few (up to the text's length) instead of every byte. The skip
 * table of the latest text searched for is kept, since an application mostly answers one host.
 */
final class AsciiSearch {

    /** Each byte, ASCII upper case folded to lower case. */
    private static final byte[] FOLDED = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            FOLDED[b] = (byte) (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
    }

    /** A text to find, folded, with how far the search may move on past each byte that ends a window. */
    private record Pattern(String text, byte[] bytes, int[] shifts) {
        static Pattern of(String text) {
            byte[] bytes = text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = FOLDED[bytes[i] & 0xFF];
            }
            int[] shifts = new int[256];
            Arrays.fill(shifts, bytes.length);
            for (int i = 0; i < bytes.length - 1; i++) {
                shifts[bytes[i] & 0xFF] = bytes.length - 1 - i;
            }
            return new Pattern(text, bytes, shifts);
        }
    }

    private static volatile Pattern latest = Pattern.of("");

    private AsciiSearch() {
    }

    /**
     * Whether {@code body} holds {@code text} (UTF-8), ASCII letters compared without case; also true once the search
     * has compared more bytes than a few passes over the body would (a text and a body made to defeat the skips, as
     * {@code b} and a run of {@code a}s can, would otherwise cost the body's length times the text's): the caller
     * takes "found" as the safe answer.
     */
    static boolean containsIgnoringCase(byte[] body, String text) {
        Pattern pattern = latest;
        if (!pattern.text().equals(text)) {
            pattern = Pattern.of(text);
            latest = pattern;
        }
        byte[] needle = pattern.bytes();
        int last = needle.length - 1;
        if (last < 0) {
            return false;
        }
        int[] shifts = pattern.shifts();
        long budget = 4L * body.length + 4096;
        for (int end = last; end < body.length; end += shifts[FOLDED[body[end] & 0xFF] & 0xFF]) {
            int i = end;
            int j = last;
            while (FOLDED[body[i] & 0xFF] == needle[j]) {
                if (j == 0) {
                    return true;
                }
                i--;
                j--;
            }
            budget -= last - j + 1;
            if (budget < 0) {
                return true;
            }
        }
        return false;
    }
}
