package dev.responsecache.benchmarks;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run reported.
 *
 * @param requestsPerSecond the {@code Requests/sec} line
 * @param p50Micros         median latency
 * @param p99Micros         99th percentile latency
 * @param requests          requests completed
 * @param errors            non-2xx/3xx responses plus socket errors
 * @param headerHits        responses with {@code X-Cache: HIT} counted by the Lua script, or -1 without it
 * @param headerTotal       responses the Lua script saw, or -1 without it
 */
record WrkResult(double requestsPerSecond, double p50Micros, double p99Micros, long requests, long errors,
                 long headerHits, long headerTotal) {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern HITS = Pattern.compile("HITS (\\d+) (\\d+)");

    static WrkResult parse(String output) {
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET.matcher(output);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        Matcher hits = HITS.matcher(output);
        boolean counted = hits.find();
        return new WrkResult(
                Double.parseDouble(required(RATE, output)),
                percentile(output, "50%"),
                percentile(output, "99%"),
                Long.parseLong(required(REQUESTS, output)),
                errors,
                counted ? Long.parseLong(hits.group(1)) : -1,
                counted ? Long.parseLong(hits.group(2)) : -1);
    }

    private static String required(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalArgumentException("wrk output without " + pattern + ":\n" + output);
        }
        return matcher.group(1);
    }

    /** A line of wrk's {@code --latency} distribution, such as {@code 99%    5.18ms}, in microseconds. */
    private static double percentile(String output, String label) {
        Matcher matcher = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)\\s*$",
                Pattern.MULTILINE).matcher(output);
        if (!matcher.find()) {
            throw new IllegalArgumentException("wrk output without the " + label + " latency:\n" + output);
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "us" -> value;
            case "ms" -> value * 1_000;
            default -> value * 1_000_000;
        };
    }
}
