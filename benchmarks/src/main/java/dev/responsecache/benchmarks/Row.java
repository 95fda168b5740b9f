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

    /**
     * Ends the path of a row whose every request carries a query never sent before (wrk builds it, see
     * {@code misses.lua}): against a cached method, every request is a miss that stores its response.
     */
    static final String FRESH_QUERY = "?n={fresh}";

    /** A row whose client accepts no content coding. */
    Row(String name, String path, String runs, boolean cached) {
        this(name, path, runs, cached, false);
    }

    /** Whether every request of this row carries a new query ({@link #FRESH_QUERY}). */
    boolean freshQuery() {
        return path.endsWith(FRESH_QUERY);
    }

    /**
     * The path to request: for a {@link #freshQuery()} row, with {@code fresh} as the new query's value, or without a
     * query when {@code fresh} is null (wrk's script adds one to each request).
     */
    String path(String fresh) {
        if (!freshQuery()) {
            return path;
        }
        String bare = path.substring(0, path.length() - FRESH_QUERY.length());
        return fresh == null ? bare : bare + "?n=" + fresh;
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
