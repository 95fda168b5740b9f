package dev.responsecache.benchmarks;

import dev.responsecache.core.CacheRequest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A request as the adapters present it to the core, without a server around it, so that the core's share of a
 * request can be measured alone.
 *
 * @param method         upper-case method
 * @param rawPath        path as sent
 * @param rawQuery       query as sent, or null
 * @param headers        request headers, names lower case
 * @param representation negotiated media type
 */
public record BenchRequest(String method, String rawPath, String rawQuery, Map<String, String> headers,
                           String representation) implements CacheRequest {

    public BenchRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        headers = Map.copyOf(headers);
    }

    public static BenchRequest get(String rawPath, String rawQuery) {
        return new BenchRequest("GET", rawPath, rawQuery, Map.of(), "application/json");
    }

    public BenchRequest withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name.toLowerCase(Locale.ROOT), value);
        return new BenchRequest(method, rawPath, rawQuery, more, representation);
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** As a runtime sees it: the host of {@code Host}, or {@code localhost} without one (it always has a host). */
    @Override
    public String hostName() {
        String host = CacheRequest.super.hostName();
        return host == null || host.isEmpty() ? "localhost" : host;
    }

    /** Over HTTP, to {@code Host} (port 80 unless it names one), or to {@code localhost:8080} without one. */
    @Override
    public String seenOrigin() {
        String host = header("Host");
        if (host == null || host.isEmpty()) {
            return "http://localhost:8080";
        }
        boolean port = host.lastIndexOf(':') > host.lastIndexOf(']');
        return "http://" + host.toLowerCase(Locale.ROOT) + (port ? "" : ":80");
    }

    @Override
    public String principalName() {
        return null;
    }
}
