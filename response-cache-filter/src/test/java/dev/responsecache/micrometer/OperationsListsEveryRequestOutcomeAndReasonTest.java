package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.core.Lookup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A dashboard is built from docs/OPERATIONS.md: an outcome or reason of {@code responsecache.requests} the code emits
 * but the page leaves out is one nobody graphs (a stale-while-revalidate answer's {@code stale}/{@code revalidate}
 * went unlisted). The page's sentence "Every pair there is: …" is read as outcome → reasons and held against the
 * outcomes of {@link Lookup.Outcome}, plus {@code stale}, and against the reasons the main sources spell out: each
 * bypass detail, each miss reason of the freshness rules, and each reason of a stale answer.
 */
class OperationsListsEveryRequestOutcomeAndReasonTest {

    private static final Pattern QUOTED = Pattern.compile("`([a-z-]+)`");
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "responsecache");

    @Test
    void everyOutcomeAndReasonTheCodeEmitsIsListed() throws IOException {
        Map<String, Set<String>> listed = listedPairs();
        Set<String> outcomes = new TreeSet<>();
        for (Lookup.Outcome outcome : Lookup.Outcome.values()) {
            outcomes.add(outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        outcomes.add("stale");
        assertEquals(outcomes, listed.keySet(), "the outcomes listed");

        String code = mainSources();
        assertListed(listed, "bypass", found(code, "\"bypass; detail=([a-z-]+)\""));
        assertListed(listed, "miss", found(code, "return \"([a-z]+-miss)\""));
        assertListed(listed, "miss", Set.of("stale"));
        assertListed(listed, "stale", found(code, "answeredStale\\([^,]+, \"([a-z-]+)\"\\)"));
        assertListed(listed, "hit", Set.of("fresh", "stale"));
        assertListed(listed, "not-modified", Set.of("fresh", "stale"));
    }

    private static void assertListed(Map<String, Set<String>> listed, String outcome, Set<String> reasons) {
        assertTrue(!reasons.isEmpty(), outcome + ": no reason found in the sources, so the pattern is stale");
        assertTrue(listed.get(outcome).containsAll(reasons),
                outcome + " lists " + listed.get(outcome) + ", the code emits " + reasons);
    }

    /** The sentence's clauses, "`a` and `b` with `x`, `y` or `z` (…)", as outcome → reasons. */
    private static Map<String, Set<String>> listedPairs() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "OPERATIONS.md"));
        int start = page.indexOf("Every pair there is: ");
        assertTrue(start >= 0, "OPERATIONS.md no longer lists the pairs of responsecache.requests");
        String sentence = page.substring(start + "Every pair there is: ".length(), page.indexOf("`. ", start) + 1);
        Map<String, Set<String>> pairs = new TreeMap<>();
        for (String clause : sentence.replaceAll("\\([^)]*\\)", "").split("; ")) {
            String[] sides = clause.split(" with ", 2);
            Set<String> reasons = quoted(sides[1]);
            for (String outcome : quoted(sides[0])) {
                pairs.computeIfAbsent(outcome, o -> new TreeSet<>()).addAll(reasons);
            }
        }
        return pairs;
    }

    private static Set<String> quoted(String text) {
        return found(text, QUOTED.pattern());
    }

    private static Set<String> found(String text, String regex) {
        Set<String> values = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(text);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }

    private static String mainSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }
}
