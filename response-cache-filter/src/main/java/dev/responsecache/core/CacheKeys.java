package dev.responsecache.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the canonical key of a request. Every variable part is written as {@code <length>:<text>} behind a one-letter
 * tag, so no crafted value ({@code %26}, {@code %3D}, separators, digits) can make two different requests produce the
 * same key. Query parameters are decoded (so {@code a=%41} and {@code a=A} share an entry, as the application sees the
 * same value) and sorted by name; the order of a parameter's repeated values is kept, because it is visible to the
 * application. An endpoint that may read the query as sent ({@link CachePolicy#queryKeyedAsSent()}) is keyed on it
 * byte for byte instead; a malformed query is still not keyed at all.
 */
final class CacheKeys {

    /**
     * Bumped whenever the key layout changes, so that old entries are never matched by new keys. {@code k2}: the
     * servlet filter's keys carry {@code s} behind it (a {@code k1} filter entry would answer a JAX-RS lookup). A
     * query keyed as sent has its own tag ({@code Q}, the decoded one {@code q}), so it needed no bump. {@code k3}:
     * Accept keyed as the runtime compares it (a JAX-RS request's quoted values kept whole, a servlet request without
     * Accept apart from {@code *}{@code /*}): a {@code k2} entry stored for one of two Accept values that now key apart
     * would answer the other during a rolling upgrade.
     */
    private static final String LAYOUT = "k3";
    /**
     * The path prefix a proxy routed the request through, which the application may build its links with; in lower
     * case, as Jersey looks header names up (a name with capitals costs it a copy on every hit).
     */
    static final String FORWARDED_PREFIX = "x-forwarded-prefix";
    /** Stable: a parameter's repeated values keep their order. */
    private static final Comparator<String[]> BY_NAME = Comparator.comparing(parameter -> parameter[0]);

    private CacheKeys() {
    }

    /**
     * The canonical key, or null when the request cannot be keyed safely (a malformed query string, a keyed cookie
     * that cookie parsers may read differently, or credentials on an endpoint keyed on a user the request does not
     * name). A keyed header sent on several lines, or a keyed cookie sent more than once, is keyed on all of its
     * values ({@link KeyedValues}).
     */
    static String of(CacheRequest request, CachePolicy policy) {
        // Read once: on a servlet container each read asks the container's request again.
        String path = request.rawPath();
        String rawQuery = request.rawQuery();
        List<String[]> query = policy.queryKeyedAsSent() ? null : parseQuery(rawQuery);
        if (policy.queryKeyedAsSent() ? malformed(rawQuery) : query == null) {
            return null;
        }
        String representation = request.representation();
        // Sized for what is known to go in (a browser's Accept alone is longer than the 64 characters once reserved),
        // so that the builder neither grows on a hit nor holds much more than the key.
        StringBuilder key = new StringBuilder(32 + path.length() + (rawQuery == null ? 0 : rawQuery.length())
                + (representation == null ? 0 : representation.length()) + 32 * policy.varyBy().size());
        key.append(LAYOUT);
        if (policy.storesAsSent()) {
            // The servlet filter's entries are never the JAX-RS adapter's, whose replays are encoded again.
            key.append('s');
        }
        field(key, 'p', path);
        if (policy.queryKeyedAsSent()) {
            // The endpoint may read the query as sent: ?q=a+b and ?q=a%20b, or another order, are other requests.
            if (rawQuery == null) {
                key.append("Q-");
            } else {
                field(key, 'Q', rawQuery);
            }
        } else {
            key.append('q').append(query.size());
            for (String[] parameter : query) {
                field(key, 'n', parameter[0]);
                field(key, 'v', parameter[1]);
            }
        }
        field(key, 'r', representation);
        String prefix = KeyedValues.header(request, FORWARDED_PREFIX);
        if (prefix != null) {
            // A filter honouring it (Spring's ForwardedHeaderFilter) makes the application link through the prefix,
            // where neither the URL nor the Host the cache sees differ. Absent, the key is what it always was.
            field(key, 'x', prefix);
        }
        for (VaryToken token : policy.varyBy()) {
            String value;
            if (token instanceof VaryToken.Header header) {
                field(key, 'h', header.name());
                value = KeyedValues.header(request, header.name());
            } else if (token instanceof VaryToken.Cookie cookie) {
                field(key, 'c', cookie.name());
                value = KeyedValues.cookie(request, cookie.name());
                if (value == KeyedValues.AMBIGUOUS) {
                    return null;
                }
            } else {
                key.append('u');
                value = request.principalName();
                if (value == null && request.header("Authorization") != null) {
                    return null;
                }
            }
            if (value == null) {
                key.append('-');
            } else {
                field(key, '=', value);
            }
        }
        return key.toString();
    }

    private static void field(StringBuilder key, char tag, String value) {
        String text = value == null ? "" : value;
        key.append(tag).append(text.length()).append(':').append(text);
    }

    /**
     * Whether {@link #parseQuery} refuses {@code rawQuery}, found without decoding and sorting it when it holds no
     * escape (only an escape can be malformed): a query keyed as sent is not parsed on every hit just to be checked.
     */
    private static boolean malformed(String rawQuery) {
        return rawQuery != null && rawQuery.indexOf('%') >= 0 && parseQuery(rawQuery) == null;
    }

    /** Name/value pairs sorted by name (stable, so repeated values keep their order); null when malformed. */
    static List<String[]> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        List<String[]> parameters = new ArrayList<>(4);
        try {
            int start = 0;
            int length = rawQuery.length();
            while (start < length) {
                int amp = rawQuery.indexOf('&', start);
                int end = amp < 0 ? length : amp;
                if (end > start) {
                    int eq = start;
                    while (eq < end && rawQuery.charAt(eq) != '=') {
                        eq++;
                    }
                    String name = rawQuery.substring(start, eq);
                    String value = eq == end ? "" : rawQuery.substring(eq + 1, end);
                    parameters.add(new String[] {decode(name), decode(value)});
                }
                start = end + 1;
            }
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        if (parameters.size() > 1) {
            parameters.sort(BY_NAME);
        }
        return parameters;
    }

    /**
     * Form-decodes a query component ({@code +} is a space, {@code %XX} a byte, the bytes UTF-8). Strict: malformed
     * UTF-8 is an error rather than a replacement character, which would make {@code %E8} and {@code %E9} one key.
     */
    private static String decode(String text) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated escape in " + text);
                }
                bytes.write((hex(text.charAt(i + 1)) << 4) | hex(text.charAt(i + 2)));
                i += 3;
            } else {
                int end = i;
                while (end < text.length() && text.charAt(end) != '%') {
                    end++;
                }
                bytes.writeBytes(text.substring(i, end).replace('+', ' ').getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8: " + text, e);
        }
    }

    private static int hex(char c) {
        int digit = Character.digit(c, 16);
        if (digit < 0) {
            throw new IllegalArgumentException("bad escape digit " + c);
        }
        return digit;
    }
}
