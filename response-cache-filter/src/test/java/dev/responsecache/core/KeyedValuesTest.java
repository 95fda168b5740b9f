package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Keyed headers and cookies read so that two requests an application may read differently never share a key. */
class KeyedValuesTest {

    /** A request whose header lines are kept apart, as the adapters' requests keep them. */
    private record Lines(Map<String, List<String>> lines) implements CacheRequest {
        static Lines of(String name, String... lines) {
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            map.put(name, List.of(lines));
            return new Lines(map);
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String rawPath() {
            return "/p";
        }

        @Override
        public String rawQuery() {
            return null;
        }

        @Override
        public String header(String name) {
            List<String> values = lines.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }

        @Override
        public List<String> headerLines(String name) {
            return lines.getOrDefault(name, List.of());
        }

        @Override
        public String cookie(String name) {
            return null;
        }

        @Override
        public String principalName() {
            return null;
        }

        @Override
        public String representation() {
            return "text/plain";
        }
    }

    private static final CachePolicy BY_TENANT = policy(new VaryToken.Header("X-Tenant"));
    private static final CachePolicy BY_LANG = policy(new VaryToken.Cookie("lang"));

    private static CachePolicy policy(VaryToken token) {
        return new CachePolicy(Duration.ofSeconds(60), List.of(token), Set.of(200), false);
    }

    @Test
    void aHeaderOnTwoLinesIsNotItsLinesJoinedOnOne() {
        String twoLines = CacheKeys.of(Lines.of("X-Tenant", "acme", "globex"), BY_TENANT);
        assertNotEquals(CacheKeys.of(Lines.of("X-Tenant", "acme,globex"), BY_TENANT), twoLines);
        assertNotEquals(CacheKeys.of(Lines.of("X-Tenant", "acme"), BY_TENANT), twoLines);
        assertNotEquals(CacheKeys.of(Lines.of("X-Tenant", "acme,", "globex"), BY_TENANT),
                CacheKeys.of(Lines.of("X-Tenant", "acme", ",globex"), BY_TENANT));
        assertEquals(CacheKeys.of(Lines.of("X-Tenant", "acme", "globex"), BY_TENANT), twoLines);
        // One line keys as it always did.
        assertEquals("acme,globex", KeyedValues.header(Lines.of("X-Tenant", "acme,globex"), "x-tenant"));
        // A line that starts with NUL cannot pose as several lines.
        String listed = KeyedValues.header(Lines.of("X-Tenant", "a", "b"), "x-tenant");
        assertNotEquals(listed, KeyedValues.header(Lines.of("X-Tenant", listed), "x-tenant"));
    }

    @Test
    void aCookieSentTwiceIsKeyedOnBothValuesInOrder() {
        String once = CacheKeys.of(Lines.of("Cookie", "lang=de"), BY_LANG);
        String twice = CacheKeys.of(Lines.of("Cookie", "lang=de; lang=fr"), BY_LANG);
        assertNotEquals(once, twice);
        assertNotEquals(twice, CacheKeys.of(Lines.of("Cookie", "lang=fr; lang=de"), BY_LANG));
        assertNotEquals(CacheKeys.of(Lines.of("Cookie", "lang=fr"), BY_LANG), twice);
        assertEquals(twice, CacheKeys.of(Lines.of("Cookie", "lang=de", "lang=fr"), BY_LANG));
        assertEquals(once, CacheKeys.of(Lines.of("Cookie", "a=1; lang=de;b=2"), BY_LANG));
        assertEquals("de", KeyedValues.cookie(Lines.of("Cookie", "a=1; lang=de"), "lang"));
    }

    @Test
    void aCookieHeaderParsersMayReadDifferentlyIsNotKeyed() {
        for (String header : List.of("lang=de; LANG=fr", "Lang=de", "lang=\"de\"", "a=\"x; lang=de\"",
                "x=1,lang=fr", "lang=de, x=1", "$Version=1; lang=de", "lang = de", "lang= de", "lang=d e", "lang",
                "lang=de; a=\\x")) {
            assertSame(KeyedValues.AMBIGUOUS, KeyedValues.cookie(Lines.of("Cookie", header), "lang"), header);
            assertNull(CacheKeys.of(Lines.of("Cookie", header), BY_LANG), header);
        }
    }

    @Test
    void aCookieHeaderWithoutTheKeyedNameKeysItAsAbsent() {
        for (String header : List.of("xlang=de", "a=lang", "a=\"q\"; b=$1", "langx=1, y=2")) {
            assertNull(KeyedValues.cookie(Lines.of("Cookie", header), "lang"), header);
        }
        assertEquals(CacheKeys.of(Lines.of("Cookie", "other=1"), BY_LANG),
                CacheKeys.of(Lines.of("Accept", "*/*"), BY_LANG));
    }
}
