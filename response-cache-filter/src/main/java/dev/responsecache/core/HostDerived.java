package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A response that names the host the request was sent to (an absolute {@code Location}, {@code Content-Location}
 * or {@code Link} built from the request's URI, or such a link in the body, percent-encoded in a query as a login
 * page's {@code next=http%3A%2F%2Fhost%2Fpage}, escaped in JSON as {@code http:\/\/host}, or as an entity in HTML)
 * must not answer a request sent to another host: with {@code Host: evil.example} once, every visitor would be
 * redirected there. Such an entry records the request headers the host is taken from ({@code Host}, and the
 * forwarding headers a proxy-aware container reads), as if the response's {@code Vary} named them, so a request with
 * other values is a miss. Whatever the encoding, a host's letters, digits, dots and hyphens are written as they are,
 * so the rule is the host name itself, without case, anywhere in a stored header value or the body: the host the
 * application saw, and the host of the {@code Host}, {@code X-Forwarded-Host} and {@code Forwarded} headers when they
 * name another (an application may read them itself). A body with a {@code Content-Encoding} cannot be read without
 * decoding it: it is taken to name the host. A page that merely mentions its host's name is matched on the host
 * too: a miss for another host, never another host's page. Likewise a stored header that reflects the request's
 * {@code Origin} (a CORS {@code Access-Control-Allow-Origin} the method set itself) is matched on {@code Origin}.
 */
final class HostDerived {

    /**
     * Matched in place of the whole {@code Forwarded} header: its {@code host} and {@code proto} parameters only
     * ({@link #forwardedHost}). The header also names the client ({@code for=}, with its port), which would make every
     * client's request a miss of such an entry. Not a header name (it holds a space), so no request header is read as it.
     */
    static final String FORWARDED_HOST = "forwarded host";

    /**
     * Matched as the request's {@link CacheRequest#seenOrigin}: the scheme, host and port the runtime saw, which no
     * header tells on HTTP/2 ({@code :authority}), for an absolute-form request target or over TLS. Not a header name.
     */
    static final String SEEN_ORIGIN = "seen origin";

    /** Recorded when the request's origin is not known: equal to no request's, so the entry is never matched. */
    private static final String UNKNOWN_ORIGIN = "\0unknown";

    /**
     * The request headers a container takes the request's host from; the last two switch the scheme to {@code https}
     * (Spring's {@code ForwardedHeaderFilter} reads {@code X-Forwarded-Ssl}, Jetty's {@code ForwardedRequestCustomizer}
     * {@code X-Proxied-Https}).
     */
    private static final List<String> SOURCES = List.of("host", "x-forwarded-host", "x-forwarded-proto",
            "x-forwarded-port", FORWARDED_HOST, "x-forwarded-ssl", "x-proxied-https");
    /** The longest host name searched for (DNS allows 253); a longer or odder one is taken to be named. */
    private static final int MAX_HOST_LENGTH = 253;
    /**
     * At most this many host names from the forwarding headers are searched for (each is one more pass); a request
     * that names more is matched on its host values whatever the response.
     */
    private static final int MAX_FORWARDED_HOSTS = 4;

    private HostDerived() {
    }

    /** The values to match on a hit, or an empty list when the response does not name the request's host. */
    static List<CacheEntry.VaryValue> varyValues(CacheRequest request, List<Header> headers, byte[] body) {
        List<CacheEntry.VaryValue> values = new ArrayList<>();
        if (namesAHost(request, headers, body)) {
            SOURCES.forEach(name -> values.add(new CacheEntry.VaryValue(name, KeyedValues.header(request, name))));
            String origin = request.seenOrigin();
            values.add(new CacheEntry.VaryValue(SEEN_ORIGIN, origin == null ? UNKNOWN_ORIGIN : origin));
        }
        String origin = request.header("Origin");
        if (origin != null && !origin.isEmpty() && reflected(request, origin, headers)) {
            values.add(new CacheEntry.VaryValue("origin", KeyedValues.header(request, "origin")));
        }
        return values;
    }

    private static boolean namesAHost(CacheRequest request, List<Header> headers, byte[] body) {
        String seen = request.hostName();
        if (seen == null || seen.isEmpty()) {
            // The host the application saw cannot be searched for: it may be named.
            return true;
        }
        boolean encoded = encoded(headers);
        if (encoded || named(seen, headers, body)) {
            return true;
        }
        // Headers a request may set at will, read by an application or a proxy-aware container: their hosts too.
        List<String> others = new ArrayList<>(2);
        addHost(others, request.header("Host"), seen);
        String forwardedHosts = request.header("X-Forwarded-Host");
        if (forwardedHosts != null) {
            for (String host : forwardedHosts.split(",")) {
                addHost(others, host, seen);
            }
        }
        String forwarded = request.header("Forwarded");
        if (forwarded != null) {
            for (String element : forwarded.split("[,;]")) {
                String pair = element.trim();
                if (pair.regionMatches(true, 0, "host=", 0, 5)) {
                    addHost(others, pair.substring(5).replace("\"", ""), seen);
                }
            }
        }
        if (others.size() > MAX_FORWARDED_HOSTS) {
            // More hosts than are searched for (an application may take the last one): taken to be named.
            return true;
        }
        for (String other : others) {
            if (encoded || named(other, headers, body)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the body is sent with a content coding, which the search cannot read through. */
    private static boolean encoded(List<Header> headers) {
        for (Header header : headers) {
            if (header.is("Content-Encoding") && !header.value().isBlank()
                    && !header.value().trim().equalsIgnoreCase("identity")) {
                return true;
            }
        }
        return false;
    }

    /** Adds the host of a {@code host[:port]} value unless blank, {@code seen}, or already there. */
    private static void addHost(List<String> hosts, String value, String seen) {
        String host = hostOf(value == null ? null : value.trim());
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase(seen)
                && hosts.stream().noneMatch(host::equalsIgnoreCase)) {
            hosts.add(host);
        }
    }

    /** The host of {@code host[:port]} or {@code [v6]:port}. */
    private static String hostOf(String value) {
        if (value == null) {
            return null;
        }
        int end = value.startsWith("[") ? value.indexOf(']') + 1 : value.indexOf(':');
        return end <= 0 ? value : value.substring(0, end);
    }

    /**
     * Whether a response may name {@code host}: a name that is not a plain host name (too long, an IPv6 literal, other
     * characters: the forwarding headers are the client's to write) is not searched for, and is taken to be named; the
     * search itself gives up, taking the host to be named, past a bounded amount of work ({@link AsciiSearch}).
     */
    private static boolean named(String host, List<Header> headers, byte[] body) {
        return !plainHostName(host) || inHeaders(headers, host) || AsciiSearch.containsIgnoringCase(body, host);
    }

    private static boolean plainHostName(String host) {
        if (host.length() > MAX_HOST_LENGTH) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The {@code host} and {@code proto} parameters of a {@code Forwarded} header (RFC 7239), in order, names and
     * values lower-cased and unquoted; null when it has none. What a container takes the request's host from, without
     * the client's address.
     */
    static String forwardedHost(String forwarded) {
        if (forwarded == null) {
            return null;
        }
        StringBuilder kept = null;
        for (String element : forwarded.split("[,;]")) {
            String pair = element.trim();
            if (pair.regionMatches(true, 0, "host=", 0, 5) || pair.regionMatches(true, 0, "proto=", 0, 6)) {
                kept = kept == null ? new StringBuilder() : kept.append(';');
                kept.append(pair.replace("\"", "").toLowerCase(Locale.ROOT));
            }
        }
        return kept == null ? null : kept.toString();
    }

    /**
     * The host and port of the request's {@link CacheRequest#seenOrigin} as a {@code Host} header names them (the
     * scheme's default port left out), for a request without one (HTTP/2, HTTP/1.0); null when not known.
     */
    static String seenAuthority(CacheRequest request) {
        String origin = request.seenOrigin();
        int start = origin == null ? -1 : origin.indexOf("://");
        if (start < 0) {
            return null;
        }
        String authority = origin.substring(start + 3);
        String defaultPort = origin.startsWith("https:") ? ":443" : origin.startsWith("http:") ? ":80" : null;
        return defaultPort != null && authority.endsWith(defaultPort)
                ? authority.substring(0, authority.length() - defaultPort.length()) : authority;
    }

    /**
     * Whether a {@code Host} value names the authority of {@code origin} (as {@link CacheRequest#origin} writes it),
     * without case and with or without the scheme's default port; without copying either.
     */
    static boolean namesAuthority(String host, String origin) {
        int start = origin.indexOf("://") + 3;
        if (start < 3) {
            return false;
        }
        int length = origin.length() - start;
        if (host.length() == length && host.regionMatches(true, 0, origin, start, length)) {
            return true;
        }
        String defaultPort = origin.startsWith("https:") ? ":443" : origin.startsWith("http:") ? ":80" : null;
        return defaultPort != null && origin.endsWith(defaultPort) && host.length() == length - defaultPort.length()
                && host.regionMatches(true, 0, origin, start, host.length());
    }

    /**
     * Whether an entry naming its host was stored without the request's {@link #SEEN_ORIGIN} (by a version that
     * matched such an entry on the headers alone): it may answer another scheme or HTTP/2 authority, so it is not
     * matched, and the miss stores it again with the origin.
     */
    static boolean withoutSeenOrigin(CacheEntry entry) {
        boolean namesHost = false;
        for (CacheEntry.VaryValue vary : entry.varyValues()) {
            if (SEEN_ORIGIN.equals(vary.name())) {
                return false;
            }
            namesHost |= FORWARDED_HOST.equals(vary.name());
        }
        return namesHost;
    }

    /** Whether a stored header holds the request's {@code Origin}, or one of its lines when sent on several. */
    private static boolean reflected(CacheRequest request, String origin, List<Header> headers) {
        if (inHeaders(headers, origin)) {
            return true;
        }
        if (origin.indexOf(',') >= 0) {
            for (String line : request.headerLines("Origin")) {
                if (!line.isBlank() && inHeaders(headers, line.trim())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean inHeaders(List<Header> headers, String text) {
        for (Header header : headers) {
            if (containsIgnoringCase(header.value(), text)) {
                return true;
            }
        }
        return false;
    }

    /** Without lower-casing a copy of every header value on every miss. */
    private static boolean containsIgnoringCase(String value, String needle) {
        int last = value.length() - needle.length();
        for (int i = 0; i <= last; i++) {
            if (value.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }
}
