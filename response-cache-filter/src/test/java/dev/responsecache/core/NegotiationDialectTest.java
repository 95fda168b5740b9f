package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.spi.CacheEntry;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which negotiation headers each runtime's {@code Request.selectVariant} reads, as a table of what it refuses. */
class NegotiationDialectTest {

    @ParameterizedTest(name = "{0}: {1} read by Jersey {2}, by RESTEasy {3}")
    @CsvSource(delimiter = '|', value = {
        "Accept          | text/plain                       | true  | true",
        "Accept          | 'text/html, */*;q=0.8'           | true  | true",
        "Accept          | text/plain;q=.5                  | true  | false",
        "Accept          | 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2' | true | false",
        "Accept          | text/plain;charset=utf-8;q=1.    | true  | true",
        "Accept          | ''                               | true  | true",
        "Accept-Charset  | 'utf-8, iso-8859-1;q=0.5'        | true  | true",
        "Accept-Charset  | utf-8;q=2                        | false | false",
        "Accept-Charset  | utf-8;q=.5                       | true  | false",
        "Accept-Charset  | utf-8;x=1                        | false | false",
        "Accept-Encoding | 'gzip, deflate, br'              | true  | true",
        "Accept-Encoding | 'gzip;q=1.0, identity; q=0.5, *;q=0' | true | true",
        "Accept-Encoding | ','                              | false | false",
        "Accept-Encoding | gzip;q=0.1234                    | false | false",
        "Accept-Language | 'de-DE, de;q=0.9, en;q=0.8'      | true  | true",
        "Accept-Language | zh-Hant-TW                       | true  | true",
        "Accept-Language | *                                | true  | true",
        "Accept-Language | ',de'                            | false | false",
        "Accept-Language | 'de,'                            | false | false",
        "Accept-Language | de_DE                            | false | false",
        "Accept-Language | de;q=NaN                         | false | false"})
    void reads(String name, String value, boolean jersey, boolean resteasy) {
        FakeRequest request = FakeRequest.get("/page", null).withHeader(name, value);
        assertEquals(jersey, NegotiationDialect.JERSEY.reads(request), "Jersey");
        assertEquals(resteasy, NegotiationDialect.RESTEASY.reads(request), "RESTEasy");
    }

    @ParameterizedTest(name = "{0}: {1} read by Jersey before it matched the request: {2}")
    @CsvSource(delimiter = '|', value = {
        "Accept          | text/plain;q=.5                  | true",
        "Accept          | 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2' | true",
        "Accept          | text/plain;q=2                   | false",
        "Accept          | 'text/plain,'                    | false",
        "Accept          | text                             | false",
        "Accept-Language | de;q=.5                          | true",
        "Accept-Charset  | utf-8;q=2                        | false"})
    void jerseyBeforeMatchingJudgesAcceptToo(String name, String value, boolean read) {
        FakeRequest request = FakeRequest.get("/page", null).withHeader(name, value);
        assertEquals(read, NegotiationDialect.JERSEY.readsBeforeMatching(request));
        assertEquals(NegotiationDialect.RESTEASY.reads(request),
                NegotiationDialect.RESTEASY.readsBeforeMatching(request), "RESTEasy has judged Accept all along");
    }

    @ParameterizedTest(name = "Vary: {0} names negotiation: {1}")
    @CsvSource(delimiter = '|', value = {"accept-language | true", "'origin, accept' | true",
        "Accept-Encoding | true", "accept-charset | true", "x-flavour | false", "accept-ranges | false",
        "'' | false"})
    void namesNegotiation(String vary, boolean names) {
        List<CacheEntry.VaryValue> varied = vary.isEmpty() ? List.of() : Arrays.stream(vary.split(","))
                .map(name -> new CacheEntry.VaryValue(name.trim(), "any")).toList();
        assertEquals(names, NegotiationDialect.namesNegotiation(varied));
    }

    @ParameterizedTest(name = "{0}: {1} read by the strictest only if read by both")
    @CsvSource(delimiter = '|', value = {
        "Accept          | text/plain;q=.5",
        "Accept-Charset  | utf-8;q=.5",
        "Accept-Charset  | utf-8;q=2",
        "Accept-Language | 'de-DE, de;q=0.9'",
        "Accept-Language | 'de,'"})
    void theStrictestReadsNoRequestAnotherRefuses(String name, String value) {
        FakeRequest request = FakeRequest.get("/page", null).withHeader(name, value);
        boolean everywhere = NegotiationDialect.JERSEY.reads(request) && NegotiationDialect.RESTEASY.reads(request);
        assertEquals(everywhere, NegotiationDialect.STRICTEST.reads(request));
    }
}
