package dev.responsecache.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The realistic endpoint's document: a page of products built from objects after a simulated backend call, written
 * as about 10 KiB of JSON. The JSON is written by hand rather than by a JSON provider so that the benchmarks add no
 * dependency to the build; the cost per byte is of the same order.
 */
final class Catalog {

    /** Simulated backend latency per uncached request. */
    static final long BACKEND_MILLIS = 5;
    private static final int PRODUCTS = 52;

    record Product(long id, String name, String description, BigDecimal price, int stock, List<String> tags) {
    }

    private Catalog() {
    }

    /** The page for {@code category}, after the backend's delay. */
    static List<Product> page(String category) throws InterruptedException {
        Thread.sleep(BACKEND_MILLIS); // stands for a database or remote call, not for waiting on anything
        List<Product> products = new ArrayList<>(PRODUCTS);
        for (int i = 0; i < PRODUCTS; i++) {
            products.add(new Product(10_000L + i, category + " product " + i,
                    "A sturdy " + category + " item, number " + i + ", made to last and shipped in recycled packaging.",
                    BigDecimal.valueOf(1999 + i * 37L, 2), (i * 13) % 50,
                    List.of(category, i % 2 == 0 ? "even" : "odd", "sale")));
        }
        return products;
    }

    static String json(String category, List<Product> products) {
        StringBuilder json = new StringBuilder(11 * 1024);
        json.append("{\"category\":");
        string(json, category);
        json.append(",\"count\":").append(products.size()).append(",\"products\":[");
        for (int i = 0; i < products.size(); i++) {
            Product product = products.get(i);
            json.append(i == 0 ? "{" : ",{");
            json.append("\"id\":").append(product.id()).append(",\"name\":");
            string(json, product.name());
            json.append(",\"description\":");
            string(json, product.description());
            json.append(",\"price\":").append(product.price().toPlainString());
            json.append(",\"stock\":").append(product.stock()).append(",\"tags\":[");
            for (int t = 0; t < product.tags().size(); t++) {
                if (t > 0) {
                    json.append(',');
                }
                string(json, product.tags().get(t));
            }
            json.append("]}");
        }
        return json.append("]}").toString();
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
