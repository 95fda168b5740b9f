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
                "a=\"x\\\"; lang=de\"", "a=\"open; lang=de",
                "a=\"x\\\"; lang=de; b=\"y\"")) {
            assertSame(KeyedValues.AMBIGUOUS, KeyedValues.cookie(Lines.of("Cookie", header), "lang"), header);
            assertNull(CacheKeys.of(Lines.of("Cookie", header), BY_LANG), header);
        }
    }

    /**
     * Any {@code $}, comma, quote or backslash anywhere in the header made the keyed cookie unkeyable: Google
     * Analytics 4 cookies carry {@code $} in their values (since 2025), consent cookies commas, Akamai's quotes, so
     * nearly every visitor of such a site bypassed a {@code cookie:} key.
     */
    @Test
    void analyticsAndConsentCookiesBesideTheKeyedOneLeaveItKeyed() {
        for (String header : List.of(
                "_ga=GA1.1.123.456; _ga_ABC123=GS2.1.s1747132561$o1$g0$t1747132561$j60$l0$h0; lang=de",
                "cookieyes-consent=consentid:eFk0,consent:yes,action:no,necessary:yes; lang=de",
                "RT=\"z=1&dm=example.com&si=abc\"; lang=de",
                "lang=de; messages=\"abc\\054def\\054\"",
                "lang=de; a=\\x")) {
            assertEquals("de", KeyedValues.cookie(Lines.of("Cookie", header), "lang"), header);
            assertEquals(CacheKeys.of(Lines.of("Cookie", "lang=de"), BY_LANG),
                    CacheKeys.of(Lines.of("Cookie", header), BY_LANG), header);
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
