package dev.responsecache.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * The four lines JDK 24 and later print on standard error, once per JVM, at the first call of a
 * {@code sun.misc.Unsafe} memory-access method (JEP 498): Ehcache's heap tier makes one (docs/RUNTIMES.md). They are
 * the JVM's, printed whatever the application's logging says, so a test that counts what the launcher logs counts
 * without them; on JDK 17 there are none to drop.
 */
final class JvmUnsafeNotice {

    private static final String FIRST = "WARNING: A terminally deprecated method in sun.misc.Unsafe has been called";

    private JvmUnsafeNotice() {
    }

    /** {@code lines} without the notice, when it is there whole; otherwise {@code lines} as they are. */
    static List<String> dropped(List<String> lines) {
        int start = lines.indexOf(FIRST);
        if (start < 0 || start + 4 > lines.size()
                || !lines.get(start + 1).startsWith("WARNING: sun.misc.Unsafe::")
                || !lines.get(start + 2).startsWith("WARNING: Please consider reporting this to the maintainers of ")
                || !lines.get(start + 3).startsWith("WARNING: sun.misc.Unsafe::")) {
            return lines;
        }
        List<String> rest = new ArrayList<>(lines.subList(0, start));
        rest.addAll(lines.subList(start + 4, lines.size()));
        return rest;
    }
}
