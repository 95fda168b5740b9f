package dev.responsecache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is where users look a setting up: a property the code reads but the table leaves
 * out is one nobody finds, and a row the code no longer reads is a setting that silently does nothing. The Redis
 * settings have their own table in REDIS.md, which the README points to.
 */
class ConfigurationTableNamesEveryPropertyTest {

    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| `(responsecache\\.[a-z0-9.-]+)`");

    @Test
    void everyPropertyTheCodeReadsHasARowAndEveryRowIsAProperty() throws IOException, IllegalAccessException {
        Set<String> documented = rows(Path.of("..", "README.md"));
        documented.addAll(rows(Path.of("..", "docs", "REDIS.md")));
        assertEquals(constants(), documented);
    }

    private static Set<String> rows(Path markdown) throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher row = TABLE_ROW.matcher(Files.readString(markdown));
        while (row.find()) {
            keys.add(row.group(1));
        }
        return keys;
    }

    private static Set<String> constants() throws IllegalAccessException {
        Set<String> keys = new TreeSet<>();
        for (Field field : ResponseCacheProperties.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String value = (String) field.get(null);
                if (value.startsWith("responsecache.")) {
                    keys.add(value);
                }
            }
        }
        return keys;
    }
}
