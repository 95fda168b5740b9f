package dev.responsecache.benchmarks;

import java.util.Objects;

/**
 * One line of the load table.
 *
 * @param name   what the row measures
 * @param path   path and query to request
 * @param runs   the {@link Runs} name counting the endpoint's own code
 * @param cached whether the cache answers this row (its hit ratio is then reported)
 * @param gzipClient whether wrk sends {@code Accept-Encoding: gzip}, as browsers and most HTTP clients do
 */
record Row(String name, String path, String runs, boolean cached, boolean gzipClient) {

    Row {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(runs, "runs");
    }

    /** A row whose client accepts no content coding. */
    Row(String name, String path, String runs, boolean cached) {
        this(name, path, runs, cached, false);
    }

    /** The form the app prints and the harness reads: {@code ROW name path runs cached [gzip]}. */
    String line() {
        return "ROW " + name + " " + path + " " + runs + " " + cached + (gzipClient ? " gzip" : "");
    }

    static Row parse(String line) {
        String[] parts = line.split(" ");
        if (parts.length < 5 || parts.length > 6 || !parts[0].equals("ROW")
                || parts.length == 6 && !parts[5].equals("gzip")) {
            throw new IllegalArgumentException("not a row line: " + line);
        }
        return new Row(parts[1], parts[2], parts[3], Boolean.parseBoolean(parts[4]), parts.length == 6);
    }
}
