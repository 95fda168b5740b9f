package dev.responsecache.benchmarks;

/** The bytes every 1 KiB row serves, so that rows differ only in what produces them. */
final class Bodies {

    static final byte[] ONE_KIB = Fixtures.body(Fixtures.SMALL_BODY, 0);
    static final String TYPE = "application/json";

    private Bodies() {
    }
}
