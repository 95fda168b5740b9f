package dev.responsecache.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times each endpoint's own code ran. Requests minus runs is what the cache answered, so the hit ratio of a
 * load run is measured on the server and costs the load generator nothing.
 */
final class Runs {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void ran(String name) {
        counts.computeIfAbsent(name, ignored -> new LongAdder()).increment();
    }

    long of(String name) {
        LongAdder count = counts.get(name);
        return count == null ? 0 : count.sum();
    }

    /** One {@code name count} line per endpoint that ran, sorted by name. */
    String report() {
        StringBuilder text = new StringBuilder();
        Map<String, LongAdder> sorted = new TreeMap<>(counts);
        sorted.forEach((name, count) -> text.append(name).append(' ').append(count.sum()).append('\n'));
        return text.toString();
    }

    /** Parses {@link #report()}. */
    static Map<String, Long> parse(String report) {
        Map<String, Long> parsed = new TreeMap<>();
        for (String line : report.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                parsed.put(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()));
            }
        }
        return parsed;
    }
}
