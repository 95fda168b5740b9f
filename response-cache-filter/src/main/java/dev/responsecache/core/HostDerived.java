package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A response that names the host the request was sent to (an absolute {@code Location}, {@code Content-Location}
 * or {@code Link} built from the request's URI, or such a link in the body) must not answer a request sent to
 * another host: with {@code Host: evil.example} once, every visitor would be redirected there. Such an entry records
 * the request headers the host is taken from ({@code Host}, and the forwarding headers a proxy-aware container
 * reads), as if the response's {@code Vary} named them, so a request with other values is a miss. The host is
 * searched as {@code //host} in every stored header value and in the body as sent (an encoded body is not
 * searched: it cannot be read without decoding it). Likewise a stored header that reflects the request's
 * {@code Origin} (a CORS {@code Access-Control-Allow-Origin} the method set itself) is matched on {@code Origin}.
 */
final class HostDerived {

    /** The request headers a container takes the request's host from. */
    private static final List<String> SOURCES = List.of("host", "x-forwarded-host", "x-forwarded-proto",
            "x-forwarded-port", "forwarded");

    private HostDerived() {
    }

    /** The values to match on a hit, or an empty list when the response does not name the request's host. */
    static List<CacheEntry.VaryValue> varyValues(CacheRequest request, List<Header> headers, byte[] body) {
        List<CacheEntry.VaryValue> values = new ArrayList<>();
        String host = request.hostName();
        if (host != null && !host.isEmpty() && (inHeaders(headers, "//" + host) || inBody(body, host))) {
            SOURCES.forEach(name -> values.add(new CacheEntry.VaryValue(name, request.header(name))));
        }
        String origin = request.header("Origin");
        if (origin != null && !origin.isEmpty() && inHeaders(headers, origin)) {
            values.add(new CacheEntry.VaryValue("origin", origin));
        }
        return values;
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

    /** An ASCII search without case; a host name is ASCII (an IDN travels as punycode). */
    private static boolean inBody(byte[] body, String host) {
        byte[] needle = ("//" + host.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.US_ASCII);
        int last = body.length - needle.length;
        // Every "//" has one of its two slashes at an odd index: half the bytes are looked at, on every miss.
        for (int odd = 1; odd <= last + 1; odd += 2) {
            if (body[odd] == '/' && (body[odd - 1] == '/' && matchesAt(body, odd - 1, needle)
                    || odd <= last && body[odd + 1] == '/' && matchesAt(body, odd, needle))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(byte[] body, int at, byte[] needle) {
        for (int j = 2; j < needle.length; j++) {
            byte b = body[at + j];
            if (b >= 'A' && b <= 'Z') {
                b = (byte) (b + ('a' - 'A'));
            }
            if (b != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
