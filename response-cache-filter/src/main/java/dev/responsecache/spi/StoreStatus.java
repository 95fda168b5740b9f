package dev.responsecache.spi;

/**
 * What a store knows of its own health, as the cache's health report shows it.
 *
 * @param reachable whether the store answers calls now (a shared store behind an open breaker does not)
 * @param breaker   {@code closed} or {@code open} for a store with a circuit breaker, {@code none} otherwise
 * @param lastFault the latest fault the store met (its type and message), or null
 */
public record StoreStatus(boolean reachable, String breaker, String lastFault) {

    public StoreStatus {
        breaker = breaker == null ? "none" : breaker;
    }
}
