package dev.responsecache.core;

/**
 * The {@code Accept} header of a JAX-RS request as its key holds it: as sent, with only the white space taken out that
 * both runtimes skip when they parse it, so that two values share a key only when Jersey and RESTEasy read them alike.
 *
 * <p>Jersey's header reader skips white space before every token and separator; RESTEasy splits the header at every
 * comma and trims each range, and trims each parameter's name, but keeps white space after a subtype
 * ({@code text/plain ;q=1} has the subtype {@code "plain "}, which matches no {@code @Produces}) and inside a quoted
 * value ({@code profile="a b"} is not {@code profile="ab"}). So white space (spaces, tabs) goes only where both skip
 * it: at either end, next to a comma and right after a semicolon. A header with a quote or a backslash is kept whole:
 * RESTEasy splits at commas inside quotes and ignores escapes, Jersey does neither, and inside a quoted string every
 * character counts.
 */
final class AcceptText {

    private AcceptText() {
    }

    /** {@code accept} (not null) as keyed: the same string when nothing is taken out. */
    static String keyed(String accept) {
        int length = accept.length();
        int first = firstSkipped(accept);
        if (first < 0) {
            return accept;
        }
        StringBuilder kept = new StringBuilder(length).append(accept, 0, first);
        int i = first;
        while (i < length) {
            char c = accept.charAt(i);
            if (!space(c)) {
                kept.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < length && space(accept.charAt(end))) {
                end++;
            }
            if (!skipped(accept, i, end)) {
                kept.append(accept, i, end);
            }
            i = end;
        }
        return kept.toString();
    }

    /** The start of the first run of white space to take out, or -1 when none is (or the header is kept whole). */
    private static int firstSkipped(String accept) {
        int length = accept.length();
        int found = -1;
        for (int i = 0; i < length; i++) {
            char c = accept.charAt(i);
            if (c == '"' || c == '\\') {
                return -1;
            }
            if (found < 0 && space(c) && (i == 0 || !space(accept.charAt(i - 1)))) {
                int end = i;
                while (end < length && space(accept.charAt(end))) {
                    end++;
                }
                if (skipped(accept, i, end)) {
                    found = i;
                }
            }
        }
        return found;
    }

    /** Whether the white space in {@code [start, end)} is skipped by both runtimes. */
    private static boolean skipped(String accept, int start, int end) {
        if (start == 0 || end == accept.length()) {
            return true;
        }
        char before = accept.charAt(start - 1);
        char after = accept.charAt(end);
        return before == ',' || before == ';' || after == ',';
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t';
    }
}
