package dev.responsecache.servlet;

import java.util.Set;

/**
 * Fields defined as comma-separated lists (RFC 9110 5.3), to which an application adds values rather than replacing
 * those a filter in front set: {@code Vary: Origin} from a CORS filter, then the page's own. Asked once per header a
 * hit replays, so the names are found by length and compared without case, neither lower-cased nor hashed nor
 * walked through a sorted set.
 */
final class ListFields {

    static final Set<String> NAMES = Set.of("vary", "cache-control", "link", "via", "allow", "content-language",
            "access-control-allow-headers", "access-control-allow-methods", "access-control-expose-headers",
            "server-timing");
    /** {@link #NAMES} by their length: most names a hit replays have a length no list field has. */
    private static final String[][] BY_LENGTH = byLength();

    private ListFields() {
    }

    /** Whether {@code name} (in any case) is a list field. */
    static boolean named(String name) {
        int length = name.length();
        if (length >= BY_LENGTH.length) {
            return false;
        }
        for (String listField : BY_LENGTH[length]) {
            if (listField.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static String[][] byLength() {
        int longest = 0;
        for (String name : NAMES) {
            longest = Math.max(longest, name.length());
        }
        String[][] table = new String[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int fixed = length;
            table[length] = NAMES.stream().filter(name -> name.length() == fixed).sorted().toArray(String[]::new);
        }
        return table;
    }
}
