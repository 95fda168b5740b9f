package dev.responsecache.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code Vary} a response carries to the caches downstream (a browser, a CDN): the request headers this cache
 * selects it by, so that they keep apart the variants this cache keeps apart. Added by both adapters to every
 * response of a cached endpoint, miss or hit, after the application's own {@code Vary}; never stored, so the entry
 * keeps the application's {@code Vary} and only that is matched on a hit.
 * <ul>
 *   <li>{@code header:X} in {@code varyBy}: {@code X}.</li>
 *   <li>the representation keyed on the {@code Accept} header (a method producing several types, any servlet, or a
 *       method producing one type asked with a parameter in {@code Accept}, a charset say): {@code Accept}.</li>
 *   <li>{@code cookie:x}: {@code Cookie} (a downstream cache cannot key on one cookie, only on the whole header).</li>
 *   <li>{@code principal}: {@code Authorization} and {@code Cookie}, the two ways a user is known to the
 *       application (a shared cache does not store a response to a request with {@code Authorization} anyway,
 *       RFC 9111 section 3.5; a session cookie it would).</li>
 * </ul>
 */
public final class SelectionVary {

    /**
     * The names of the policy that answered last, and their {@code Vary} line: a hit asks twice per request, and
     * building the set each time was most of what a servlet filter's hit allocated beyond the plain servlet's.
     * Compared by identity, so another policy simply builds its own, as before. One per value of
     * {@code followsAccept}: a method producing one type answers plain clients without {@code Accept} in its names
     * and clients asking for a charset with it, and alternating between them must not rebuild the plain one.
     */
    private static volatile Memo last;
    private static volatile Memo lastFollowingAccept;

    private SelectionVary() {
    }

    private record Memo(CachePolicy policy, boolean followsAccept, boolean withCoding, List<String> names,
                        String line) {
    }

    private static Memo memo(Lookup lookup) {
        CachePolicy policy = lookup.policy();
        boolean followsAccept = lookup.request().representationFollowsAccept();
        boolean withCoding = lookup.answered() && lookup.entry().gzipped();
        Memo known = followsAccept ? lastFollowingAccept : last;
        if (known != null && known.policy() == policy && known.followsAccept() == followsAccept
                && known.withCoding() == withCoding) {
            return known;
        }
        List<String> names = names(lookup);
        Memo made = new Memo(policy, followsAccept, withCoding, names,
                names.isEmpty() ? null : String.join(", ", names));
        if (followsAccept) {
            lastFollowingAccept = made;
        } else {
            last = made;
        }
        return made;
    }

    /** The header names the lookup's key depends on, in a fixed order; empty for a path-and-query-only key. */
    static List<String> names(CachePolicy policy, CacheRequest request) {
        if (!request.representationFollowsAccept() && policy.varyBy().isEmpty()) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        if (request.representationFollowsAccept()) {
            names.add("Accept");
        }
        for (VaryToken token : policy.varyBy()) {
            if (token instanceof VaryToken.Header header) {
                names.add(displayName(header.name()));
            } else if (token instanceof VaryToken.Cookie) {
                names.add("Cookie");
            } else {
                names.add("Authorization");
                names.add("Cookie");
            }
        }
        return List.copyOf(names);
    }

    /**
     * {@link #names(CachePolicy, CacheRequest)}, and {@code Accept-Encoding} for an answer from an entry kept
     * gzip-compressed, whose representation depends on it (both representations say so, as RFC 9110 12.5.5 asks).
     */
    private static List<String> names(Lookup lookup) {
        List<String> names = names(lookup.policy(), lookup.request());
        if (!lookup.answered() || !lookup.entry().gzipped()) {
            return names;
        }
        List<String> withCoding = new ArrayList<>(names);
        withCoding.add("Accept-Encoding");
        return withCoding;
    }

    /** Whether the lookup's key depends on a request header: else {@link #merged} is null whatever it is given. */
    public static boolean dependsOnHeaders(Lookup lookup) {
        return !memo(lookup).names().isEmpty();
    }

    /**
     * The {@code Vary} value to send: the elements of the application's {@code Vary} field values, then each name
     * the key depends on that they lack (compared without case), as one field line. Null when the key depends on
     * no header, or the application's {@code Vary} is {@code *}: the application's field lines then stay as they
     * are.
     */
    public static String merged(Lookup lookup, List<String> applicationVary) {
        Memo memo = memo(lookup);
        List<String> ours = memo.names();
        if (ours.isEmpty()) {
            return null;
        }
        if (applicationVary == null || applicationVary.isEmpty()) {
            // The names are distinct without case already: the line is theirs, made once.
            return memo.line();
        }
        List<String> elements = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        if (applicationVary != null) {
            for (String line : applicationVary) {
                for (String element : line.split(",")) {
                    String trimmed = element.trim();
                    if (trimmed.equals("*")) {
                        return null;
                    }
                    if (!trimmed.isEmpty() && seen.add(trimmed.toLowerCase(Locale.ROOT))) {
                        elements.add(trimmed);
                    }
                }
            }
        }
        for (String name : ours) {
            if (seen.add(name.toLowerCase(Locale.ROOT))) {
                elements.add(name);
            }
        }
        return String.join(", ", elements);
    }

    /** {@code accept-language} as {@code Accept-Language}: header names are compared without case, but read. */
    private static String displayName(String lowerCase) {
        StringBuilder name = new StringBuilder(lowerCase.length());
        boolean start = true;
        for (char c : lowerCase.toCharArray()) {
            name.append(start ? Character.toUpperCase(c) : c);
            start = c == '-';
        }
        return name.toString();
    }
}
