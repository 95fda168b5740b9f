package dev.responsecache.sample;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A stand-in for a slow backend: every lookup takes about 200 ms, which is what caching saves. */
final class Catalogue {

    static final Catalogue INSTANCE = new Catalogue();
    private static final String[] CATEGORIES = {"tools", "garden", "kitchen"};

    private final AtomicLong lookups = new AtomicLong();
    /** Prices changed through the API; every other product keeps the price derived from its id. */
    private static final Map<Long, BigDecimal> CHANGED_PRICES = new ConcurrentHashMap<>();

    Optional<Product> find(long id) {
        slowBackend();
        if (id < 1 || id > 1000) {
            return Optional.empty();
        }
        return Optional.of(product(id));
    }

    /** Whether a category exists: only these have products, and so reports. */
    boolean isCategory(String category) {
        return List.of(CATEGORIES).contains(category);
    }

    List<Product> search(String category, int limit) {
        slowBackend();
        List<Product> found = new ArrayList<>();
        for (long id = 1; id <= 1000 && found.size() < limit; id++) {
            Product product = product(id);
            if (category == null || product.category().equals(category)) {
                found.add(product);
            }
        }
        return found;
    }

    /** Changes a product's price; false for an unknown id. */
    boolean changePrice(long id, BigDecimal price) {
        slowBackend();
        if (id < 1 || id > 1000) {
            return false;
        }
        CHANGED_PRICES.put(id, price);
        return true;
    }

    /** How many times the backend was called: shown by the app so the effect of the cache is visible. */
    long lookups() {
        return lookups.get();
    }

    private static Product product(long id) {
        String category = CATEGORIES[(int) (id % CATEGORIES.length)];
        return new Product(id, "Product " + id, category,
                CHANGED_PRICES.getOrDefault(id, BigDecimal.valueOf(id * 125, 2)),
                List.of(category, id % 2 == 0 ? "even" : "odd"));
    }

    private void slowBackend() {
        lookups.incrementAndGet();
        try {
            TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
