package dev.responsecache.core;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A request for the pure rules, built field by field. */
record FakeRequest(String method, String rawPath, String rawQuery, Map<String, String> headers,
                   Map<String, String> cookies, String principalName, String representation)
        implements CacheRequest {

    static FakeRequest get(String path, String query) {
        return new FakeRequest("GET", path, query, Map.of(), Map.of(), null, "application/json");
    }

    FakeRequest withHeader(String name, String value) {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        copy.put(name, value);
        return new FakeRequest(method, rawPath, rawQuery, copy, cookies, principalName, representation);
    }

    FakeRequest withCookie(String name, String value) {
        Map<String, String> copy = new TreeMap<>(cookies);
        copy.put(name, value);
        return new FakeRequest(method, rawPath, rawQuery, headers, copy, principalName, representation);
    }

    FakeRequest withPrincipal(String name) {
        return new FakeRequest(method, rawPath, rawQuery, headers, cookies, name, representation);
    }

    FakeRequest withRepresentation(String type) {
        return new FakeRequest(method, rawPath, rawQuery, headers, cookies, principalName, type);
    }

    FakeRequest withMethod(String name) {
        return new FakeRequest(name, rawPath, rawQuery, headers, cookies, principalName, representation);
    }

    /** The host the runtime saw: {@code Host}'s, or localhost when the test sends none (a runtime always has one). */
    @Override
    public String hostName() {
        String host = CacheRequest.super.hostName();
        return host != null ? host : "localhost";
    }

    /** Over plain HTTP, to {@code Host}'s host and port. */
    @Override
    public String seenOrigin() {
        String host = header("Host");
        int colon = host == null ? -1 : host.lastIndexOf(':');
        int port = colon < 0 || host.endsWith("]") ? -1 : Integer.parseInt(host.substring(colon + 1));
        return CacheRequest.origin("http", hostName(), port);
    }

    @Override
    public String header(String name) {
        if (name.equalsIgnoreCase("Cookie") && !cookies.isEmpty() && !headers.containsKey("Cookie")) {
            // The cookies as a client sends them, unless a test gives the header itself.
            StringBuilder header = new StringBuilder();
            cookies.forEach((cookie, value) -> header.append(header.length() == 0 ? "" : "; ").append(cookie)
                    .append('=').append(value));
            return header.toString();
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return header.getValue();
            }
        }
        return null;
    }
}
