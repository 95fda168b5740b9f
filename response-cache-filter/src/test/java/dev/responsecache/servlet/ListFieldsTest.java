package dev.responsecache.servlet;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListFieldsTest {

    @Test
    void everyListFieldIsFoundInAnyCase() {
        for (String name : ListFields.NAMES) {
            assertTrue(ListFields.named(name), name);
            assertTrue(ListFields.named(name.toUpperCase(Locale.ROOT)), name);
            assertTrue(ListFields.named(displayed(name)), name);
        }
    }

    @Test
    void namesAHitReplaysThatAreNoListFieldsAreNotFound() {
        for (String name : List.of("Content-Type", "ETag", "Age", "X-Cache", "Cache-Status", "Content-Length",
                "Set-Cookie", "Expires", "Last-Modified", "Location", "", "Vari", "Varyy", "Lynk", "Cache-Controls",
                "Server-Timinh", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                "Access-Control-Expose-Headerz", "Via ", "X-Anything-Longer-Than-Every-List-Field-Name")) {
            assertFalse(ListFields.named(name), name);
        }
    }

    @Test
    void answersAsTheCaseInsensitiveSetItReplaced() {
        Set<String> sorted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        sorted.addAll(ListFields.NAMES);
        List<String> names = new ArrayList<>();
        for (String name : ListFields.NAMES) {
            names.add(name);
            names.add(displayed(name));
            // One character changed at each position: same length, not a list field (unless by case alone).
            for (int i = 0; i < name.length(); i++) {
                names.add(name.substring(0, i) + '_' + name.substring(i + 1));
                names.add(name.substring(0, i) + Character.toUpperCase(name.charAt(i)) + name.substring(i + 1));
            }
        }
        for (String name : names) {
            assertEquals(sorted.contains(name), ListFields.named(name), name);
        }
    }

    /** {@code access-control-allow-headers} as {@code Access-Control-Allow-Headers}. */
    private static String displayed(String name) {
        StringBuilder shown = new StringBuilder(name.length());
        boolean start = true;
        for (char c : name.toCharArray()) {
            shown.append(start ? Character.toUpperCase(c) : c);
            start = c == '-';
        }
        return shown.toString();
    }
}
