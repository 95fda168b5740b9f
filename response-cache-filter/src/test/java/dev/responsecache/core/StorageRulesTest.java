package dev.responsecache.core;

import dev.responsecache.spi.Header;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageRulesTest {

    private static final CachePolicy POLICY = new CachePolicy(Duration.ofSeconds(60), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);

    /** Each row: status, header lines ({@code Name: value;Name: value}), expected refusal or "stored". */
    @ParameterizedTest(name = "{0} [{1}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "200 | none                                   | stored",
        "203 | none                                   | stored",
        "204 | none                                   | stored",
        "300 | none                                   | stored",
        "301 | none                                   | stored",
        "308 | none                                   | stored",
        "404 | none                                   | stored",
        "410 | none                                   | stored",
        "201 | none                                   | status",
        "302 | none                                   | status",
        "500 | none                                   | status",
        "503 | none                                   | status",
        "200 | Set-Cookie: a=b                        | set-cookie",
        "200 | set-cookie: a=b                        | set-cookie",
        "200 | Cache-Control: no-store                | no-store",
        "200 | Cache-Control: public, NO-STORE        | no-store",
        "200 | Cache-Control: private                 | private",
        "200 | Cache-Control: private=\"Set-Cookie\"  | private",
        "200 | Cache-Control: no-cache                | no-cache",
        "200 | Cache-Control: public, max-age=60      | stored",
        "200 | Cache-Control: max-age=60;Cache-Control: private | private",
        "200 | Vary: *                                | vary-star",
        "200 | Vary: Accept-Language, *               | vary-star",
        "200 | Vary: Accept-Language                  | stored",
        "200 | X-Private: no-store                    | stored",
        "200 | Cache-Control: no-cache, private       | private",
        "200 | Cache-Control: ,no-store=1 ,          | no-store",
        "200 | Cache-Control: no-stored, xprivate     | stored",
        "200 | Cache-Control: max-age=1=private       | stored",
        "200 | Vary: Accept ,  * ,                    | vary-star",
        "200 | Vary: Accept-*                         | stored",
        "200 | Content-Type: text/event-stream        | stream",
        "200 | content-type: TEXT/Event-Stream        | stream",
        "404 | Content-Type: text/event-stream        | stream",
        "200 | Content-Type: text/event-streams       | stored",
        "200 | Content-Type: text/plain               | stored",
    })
    void responsesAreStoredOnlyWhenEveryRuleAllows(int status, String headerLines, String expected) {
        List<Header> headers = new ArrayList<>();
        if (headerLines != null) {
            for (String line : headerLines.split(";(?=[A-Za-z-]+:)")) {
                int colon = line.indexOf(':');
                headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }
        String refusal = StorageRules.refusal(status, headers, POLICY);
        assertEquals(expected, refusal == null ? "stored" : refusal);
    }

    @org.junit.jupiter.api.Test
    void anEventStreamIsRecognisedWithItsParameters() {
        assertEquals(true, StorageRules.isEventStream("text/event-stream;charset=UTF-8"));
        assertEquals(true, StorageRules.isEventStream(" text/event-stream ; element-type=text/plain"));
        assertEquals(false, StorageRules.isEventStream("application/x-ndjson"));
        assertEquals(false, StorageRules.isEventStream(null));
        // Refused however the response is judged: in the header-driven mode too, before its body is kept.
        assertEquals("stream", Rfc9111Rules.earlyRefusal(200, List.of(new Header("Content-Type", "text/event-stream"))));
    }

    @org.junit.jupiter.api.Test
    void partialContentIsNeverStoredEvenWhenTheStatusesNameIt() {
        CachePolicy with206 = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200, 206), false);
        assertEquals("status", StorageRules.refusal(206, List.of(), with206));
        assertEquals(false, StorageRules.statusAllowed(206, with206));
    }

    @org.junit.jupiter.api.Test
    void notModifiedAndInformationalAreNeverStoredEvenWhenAPolicyNamesThem() {
        // The start-up refuses such statuses; a policy built by other means is still held to the rule at run time.
        CachePolicy withThem = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(100, 103, 200, 304), false);
        for (int status : new int[] {100, 103, 304}) {
            assertEquals("status", StorageRules.refusal(status, List.of(), withThem), "status " + status);
            assertEquals(false, StorageRules.statusAllowed(status, withThem), "status " + status);
        }
        assertEquals(null, StorageRules.refusal(200, List.of(), withThem));
    }
}
