package dev.responsecache.jaxrs;

import dev.responsecache.core.CacheRequest;
import dev.responsecache.core.NegotiationDialect;

import jakarta.ws.rs.core.MediaType;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Which representation a request will get, for the key, so that JSON and XML of one URL never share an entry. A
 * method that produces one concrete type always answers with it; otherwise what it answers depends on the
 * {@code Accept} header, which then keys the entry as sent (without the white space both runtimes skip in it:
 * {@code CacheRequest.acceptAsSent}). Keying on the header itself rather than
 * on a re-implementation of the runtime's negotiation means two requests share an entry only when the runtime would
 * certainly negotiate the same type for both. The same function serves the servlet filter's early hits.
 *
 * <p>A range's parameters other than {@code q} can change even the one type's representation: Jersey answers
 * {@code Accept: text/plain;charset=UTF-16} with {@code text/plain;charset=UTF-16} and UTF-16 bytes (the more
 * specific of the accepted and the produced type wins). A request whose {@code Accept} carries such a parameter is
 * therefore keyed on the header as sent too, so that its response is shared only with requests that sent the same.
 */
final class Representation {

    private final MediaType onlyType;
    /** The one type, behind the method's mark: what keys a request for it. */
    private final String only;
    /**
     * Marks every representation of this resource method ({@link #handler}): the runtime may route one URL to
     * several cached methods (told apart by {@code @Consumes}, or by a sub-resource locator reading a header), and one
     * method's entry must never answer a request routed to another.
     */
    private final String mark;
    /** The last Accept header judged for an early hit: clients of one API mostly send one and the same. */
    private volatile Judged lastJudged;

    private record Judged(String accept, String representation) {
    }

    private Representation(MediaType onlyType, String mark) {
        this.onlyType = onlyType;
        this.mark = mark;
        this.only = onlyType == null ? null : mark + ' ' + onlyType;
    }

    /** The representations of {@code method} as the resource class {@code resource} serves it. */
    static Representation of(List<MediaType> produced, Class<?> resource, Method method) {
        MediaType single = produced.size() == 1 ? produced.get(0) : null;
        return new Representation(single == null || single.isWildcardType() || single.isWildcardSubtype()
                ? null : single, handler(resource, method));
    }

    /**
     * A short mark of the resource method, the same on every instance (entries are shared through Redis): a digest of
     * the resource class and the method's name and parameter types, 72 bits, so that two methods of one application
     * never share it.
     */
    static String handler(Class<?> resource, Method method) {
        String identity = resource.getName() + '#' + method.getName() + Arrays.toString(method.getParameterTypes());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 9));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * The representation {@link #of} gives a request for the one type without a parameter in {@code Accept} (this
     * very string each time); null when the method produces several types.
     */
    String oneType() {
        return only;
    }

    /** The representation for an {@code Accept} header value (null when the request has none). */
    String of(String accept) {
        if (only != null) {
            return accept == null || !hasParameterBesidesQuality(accept) ? only
                    : only + ' ' + CacheRequest.acceptAsSent(accept);
        }
        return mark + ' ' + CacheRequest.acceptAsSent(accept);
    }

    /**
     * Whether a range of the header has a parameter other than its weight ({@code q}). Read on every request of a
     * method producing one type, so a scan without allocation: browsers send weights ({@code ;q=0.9}) only.
     */
    static boolean hasParameterBesidesQuality(String accept) {
        int length = accept.length();
        for (int semicolon = accept.indexOf(';'); semicolon >= 0; semicolon = accept.indexOf(';', semicolon + 1)) {
            int name = semicolon + 1;
            while (name < length && (accept.charAt(name) == ' ' || accept.charAt(name) == '\t')) {
                name++;
            }
            int end = name;
            while (end < length && accept.charAt(end) != '=' && accept.charAt(end) != ' '
                    && accept.charAt(end) != '\t' && accept.charAt(end) != ';' && accept.charAt(end) != ',') {
                end++;
            }
            boolean quality = end == name + 1 && (accept.charAt(name) == 'q' || accept.charAt(name) == 'Q');
            if (!quality) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code quality} is a weight Jersey's quality reader reads: RFC 9110 12.4.2's {@code qvalue}, {@code 0}
     * to {@code 1} with at most three decimals ({@code 0.5}, {@code 1.000}), and what that reader also takes, a point
     * with no digit after it ({@code 0.}, {@code 1.}) or none before it ({@code .2}), five characters at most.
     * RESTEasy's matching reads each of them too ({@code Float.valueOf}); its {@code selectVariant} is stricter
     * ({@link NegotiationDialect}). Anything else Jersey refuses with a 400; refusing more
     * than Jersey does would only send requests it reads on to the runtime, where an early hit had answered them.
     */
    static boolean isQualityValue(String quality) {
        return NegotiationDialect.JERSEY.readsWeight(quality);
    }

    /**
     * The representation for an early hit, answered before the runtime negotiates: null when the runtime would not
     * answer this {@code Accept} header with the method's one type (it would refuse it with 406), so that such a
     * request goes on to the runtime rather than getting the stored type.
     */
    String forEarlyHit(String accept) {
        if (only == null || accept == null) {
            return of(accept);
        }
        Judged last = lastJudged;
        if (last != null && last.accept().equals(accept)) {
            return last.representation();
        }
        // Keyed as the method's own lookup keys it (the parameters of the ranges included).
        String representation = judge(accept) == null ? null : of(accept);
        lastJudged = new Judged(accept, representation);
        return representation;
    }

    /**
     * The one type when a range accepts it; null when none does, or when a range refuses a type ({@code q=0}): how
     * the runtime weighs a refusal against a wildcard is its own, so such a request goes to the runtime. So does a
     * weight Jersey does not read ({@code q=1.5}, {@code q=0.1234}, {@code q=NaN}, {@code q=1e0}, {@link
     * #isQualityValue}): Jersey refuses the whole header with a 400 as it matches, which a hit before matching never
     * reached.
     */
    private String judge(String accept) {
        boolean accepted = false;
        for (String range : accept.split(",")) {
            try {
                MediaType acceptable = MediaType.valueOf(range.trim());
                String quality = acceptable.getParameters().get("q");
                if (quality != null && (!isQualityValue(quality) || Double.parseDouble(quality) <= 0)) {
                    return null;
                }
                accepted |= onlyType.isCompatible(acceptable);
            } catch (IllegalArgumentException unreadable) {
                return null;
            }
        }
        return accepted ? only : null;
    }
}
