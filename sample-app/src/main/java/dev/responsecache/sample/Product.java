package dev.responsecache.sample;

import java.math.BigDecimal;
import java.util.List;

/** What the catalogue returns for one product. */
public record Product(long id, String name, String category, BigDecimal price, List<String> tags) {
}
