package dev.responsecache.benchmarks;

import java.util.Objects;

/**
 * One line of the load table.
 *
 * @param name   what the row measures
 * @param path   path and query to request
 * @param runs   the {@link Runs} name counting the endpoint's own code
 * @param cached whether the cache answers this row (its hit ratio is then reported)
 */
record Row(String name, String path, String runs, boolean cached) {

    Row {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(runs, "runs");
    }

    /** The form the app prints and the harness reads: {@code ROW name path runs cached}. */
    String line() {
        return "ROW " + name + " " + path + " " + runs + " " + cached;
    }

    static Row parse(String line) {
        String[] parts = line.split(" ");
        if (parts.length != 5 || !parts[0].equals("ROW")) {
            throw new IllegalArgumentException("not a row line: " + line);
        }
        return new Row(parts[1], parts[2], parts[3], Boolean.parseBoolean(parts[4]));
    }
}
