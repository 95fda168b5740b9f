package dev.responsecache.benchmarks;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps measurement output readable: warnings only, and none of Jersey's start-up notices about absent modules. */
final class Logging {

    // Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger JERSEY = Logger.getLogger("org.glassfish.jersey");

    private Logging() {
    }

    static void quiet() {
        ROOT.setLevel(Level.WARNING);
        JERSEY.setLevel(Level.SEVERE);
    }
}
