package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;

import java.util.List;

/**
 * How a JAX-RS runtime reads the headers {@code Request.selectVariant} negotiates by ({@code Accept},
 * {@code Accept-Charset}, {@code Accept-Encoding}, {@code Accept-Language}): it reads all four whatever the variants
 * differ in, and refuses the request with a 400 for a value it cannot read, which a hit, running no method, never
 * reached. {@link #reads} admits only values the runtime surely reads; a request with any other is not answered
 * from an entry whose {@code Vary} names one of these headers ({@link #namesNegotiation}), but by its method
 * ({@link ResponseCache}).
 *
 * <p>What each admits: a blank field; otherwise a list of non-empty elements, each a value ({@code *} or a token; a
 * language range of letters and digits in parts of 1 to 8 joined by {@code -}; a media range {@code type/subtype} with
 * parameters of tokens) with at most a weight {@code ;q=} as the runtime reads one. RESTEasy (6.2, 7.0) reads the
 * weight as RFC 9110 12.4.2's {@code qvalue} only ({@code q=.5} is a 400 there), and refuses any other parameter of
 * {@code Accept-Charset}, {@code Accept-Encoding} and {@code Accept-Language}, an empty element ({@code de,}) and an
 * {@code Accept} range without a {@code /} ({@code *}). Jersey reads {@code q=.5} and a bare {@code *} too, and has
 * read {@code Accept} already as it matched the request (a 400 for one it cannot read), so only the other three are
 * judged for it; in front of matching ({@link #readsBeforeMatching}) its {@code Accept} is judged as well.
 */
public enum NegotiationDialect {

    /** Jersey's {@code VariantSelector}. */
    JERSEY(true, true),
    /** RESTEasy's {@code ServerDrivenNegotiation}. */
    RESTEASY(false, false);

    /**
     * The one that reads the fewest requests: RESTEasy reads nothing Jersey refuses (the same lists, {@code Accept}
     * judged too, no weight {@code .5}). What judges a request before it is known which runtime answers it.
     */
    static final NegotiationDialect STRICTEST = RESTEASY;

    /** Names of the headers a selectVariant reads but {@code Accept}, lower case. */
    private static final String[] HEADERS = {"accept-charset", "accept-encoding", "accept-language"};

    private final boolean readsBareFraction;
    /** Whether {@code *} alone reads as the {@code Accept} range of every type: Java's HttpURLConnection sends it. */
    private final boolean readsBareWildcard;

    NegotiationDialect(boolean readsBareFraction, boolean readsBareWildcard) {
        this.readsBareFraction = readsBareFraction;
        this.readsBareWildcard = readsBareWildcard;
    }

    /** Whether the runtime reads every negotiation header of {@code request} without refusing it. */
    public boolean reads(CacheRequest request) {
        return reads(request, this == RESTEASY);
    }

    /**
     * As {@link #reads}, for a request judged before the runtime matched it (a peek in front of it): Jersey has not
     * read {@code Accept} yet then, so it is judged too, as the other three are (a value Jersey might read but this
     * does not only sends the request on to the runtime).
     */
    boolean readsBeforeMatching(CacheRequest request) {
        return reads(request, true);
    }

    private boolean reads(CacheRequest request, boolean judgingAccept) {
        if (judgingAccept && !readsList(request.header("accept"), true, false)) {
            return false;
        }
        for (String name : HEADERS) {
            if (!readsList(request.header(name), false, name.equals("accept-language"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the {@code Vary} of an entry names one of the headers a selectVariant reads: asked of every entry that
     * would answer a JAX-RS request, so it compares names (one each, as stored) without allocating.
     */
    static boolean namesNegotiation(List<CacheEntry.VaryValue> varied) {
        for (int i = 0; i < varied.size(); i++) {
            String name = varied.get(i).name();
            if (name.equalsIgnoreCase("accept") || name.equalsIgnoreCase("accept-language")
                    || name.equalsIgnoreCase("accept-charset") || name.equalsIgnoreCase("accept-encoding")) {
                return true;
            }
        }
        return false;
    }

    private boolean readsList(String field, boolean mediaRanges, boolean languages) {
        if (field == null || field.isBlank()) {
            return true;
        }
        for (String element : field.split(",", -1)) {
            if (!readsElement(element.trim(), mediaRanges, languages)) {
                return false;
            }
        }
        return true;
    }

    private boolean readsElement(String element, boolean mediaRange, boolean language) {
        String[] parts = element.split(";", -1);
        String value = parts[0].trim();
        boolean read = mediaRange ? isMediaRange(value) || readsBareWildcard && value.equals("*")
                : language ? isLanguageRange(value) : isToken(value);
        if (!read) {
            return false;
        }
        if (!mediaRange && parts.length > 2) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals <= 0) {
                return false;
            }
            String name = parameter.substring(0, equals).trim();
            String weight = parameter.substring(equals + 1).trim();
            if (name.equals("q")) {
                if (!readsWeight(weight)) {
                    return false;
                }
            } else if (!mediaRange || !isToken(name) || !isToken(weight)) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 9110 12.4.2's {@code qvalue} ({@code 0}, {@code 1}, {@code 0.5}, {@code 1.000}, with a point and no digit
     * after it too, as both read it), and for Jersey a fraction without the whole number ({@code .5}); at most five
     * characters. Also how {@code Accept}'s weights are judged before matching ({@code jaxrs.Representation}).
     */
    public boolean readsWeight(String weight) {
        int length = weight.length();
        if (length == 0 || length > 5) {
            return false;
        }
        char whole = weight.charAt(0);
        int fraction;
        if (whole == '.' && readsBareFraction && length > 1) {
            fraction = 1;
        } else if (whole == '0' || whole == '1') {
            if (length > 1 && weight.charAt(1) != '.') {
                return false;
            }
            fraction = 2;
        } else {
            return false;
        }
        for (int i = fraction; i < length; i++) {
            char digit = weight.charAt(i);
            if (whole == '1' ? digit != '0' : digit < '0' || digit > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isMediaRange(String value) {
        int slash = value.indexOf('/');
        return slash > 0 && isToken(value.substring(0, slash)) && isToken(value.substring(slash + 1));
    }

    private static boolean isLanguageRange(String value) {
        if (value.equals("*")) {
            return true;
        }
        String[] subtags = value.split("-", -1);
        for (int i = 0; i < subtags.length; i++) {
            String subtag = subtags[i];
            if (subtag.isEmpty() || subtag.length() > 8) {
                return false;
            }
            for (int c = 0; c < subtag.length(); c++) {
                char ch = subtag.charAt(c);
                boolean letter = ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z';
                if (!letter && (i == 0 || ch < '0' || ch > '9')) {
                    return false;
                }
            }
        }
        return true;
    }

    /** RFC 9110 5.6.2's token. */
    private static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
