package dev.responsecache.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One spelling for the many a path travels in that the runtimes and containers send to the same resource, for the
 * implicit path tag ({@link Invalidations#pathTag}): the key keeps the path as sent, so each spelling has entries of
 * its own, and an eviction by path must reach all of them. What is folded (tested on Jersey and RESTEasy, Jetty and
 * Tomcat):
 * <ul>
 * <li>a percent-encoded character other than {@code /}, {@code ;}, {@code ?}, {@code #} and {@code %} itself, and
 * the case of the hex digits of those kept encoded: {@code /items/%31} is {@code /items/1} (RFC 3986 6.2.2.1-2;
 * the runtimes decode a path parameter, the containers the path info, before anyone reads them);</li>
 * <li>empty segments, {@code .} and {@code ..} (Tomcat maps {@code /a//b} and {@code /a/./b} as {@code /a/b});</li>
 * <li>a trailing slash (Jersey and RESTEasy route {@code /items/1/} to the method of {@code items/{id}}).</li>
 * </ul>
 * A character a client must send encoded (a space, a control, anything beyond ASCII) is encoded as UTF-8 with
 * upper-case hex, and an encoded octet that decodes to one stays so: a path given decoded (the purge servlet's
 * {@code path=} parameter arrives form-decoded) names the entries of the path clients send.
 * Folding two paths that are different resources costs a miss after an eviction of either, never a wrong answer;
 * a spelling folded to another tag than its resource's would keep answering after the resource changed.
 */
final class PathSpellings {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSpellings() {
    }

    /** {@code path} (starting with {@code /}, without query or matrix parameters) in its one spelling. */
    static String canonical(String path) {
        if (plain(path)) {
            return path;
        }
        String decoded = decoded(path);
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (start <= decoded.length()) {
            int slash = decoded.indexOf('/', start);
            int end = slash < 0 ? decoded.length() : slash;
            String segment = decoded.substring(start, end);
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
            start = end + 1;
        }
        return "/" + String.join("/", segments);
    }

    /** True when there is nothing to fold: no {@code %}, no empty or dot segment, no trailing slash. */
    private static boolean plain(String path) {
        if (path.length() > 1 && path.charAt(path.length() - 1) == '/') {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c <= 0x20 || c >= 0x7F) {
                return false;
            }
            if (c == '/' && i + 1 < path.length() && (path.charAt(i + 1) == '/' || path.charAt(i + 1) == '.')) {
                return false;
            }
        }
        return true;
    }

    private static String decoded(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            int high = c == '%' && i + 2 < path.length() ? hex(path.charAt(i + 1)) : -1;
            int low = high < 0 ? -1 : hex(path.charAt(i + 2));
            if (low < 0) {
                if (c <= 0x20 || c >= 0x7F) {
                    int codePoint = path.codePointAt(i);
                    i += Character.charCount(codePoint) - 1;
                    for (byte octet : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                        out.append('%').append(HEX[(octet >> 4) & 0xF]).append(HEX[octet & 0xF]);
                    }
                } else {
                    out.append(c);
                }
                continue;
            }
            char octet = (char) (high * 16 + low);
            if (octet > 0x20 && octet < 0x7F && "/;?#%".indexOf(octet) < 0) {
                out.append(octet);
            } else {
                out.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                        .append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        return out.toString();
    }

    /** The value of an ASCII hex digit, or -1 ({@code Character.digit} would take other scripts' digits too). */
    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
