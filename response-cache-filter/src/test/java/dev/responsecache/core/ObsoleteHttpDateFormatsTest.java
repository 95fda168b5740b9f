package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.spi.Header;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 9110 5.6.7: "A recipient that parses a timestamp value in an HTTP field MUST accept all three HTTP-date
 * formats": IMF-fixdate, the obsolete RFC 850 format and ANSI C's asctime(). Only IMF-fixdate was read, so an
 * {@code Expires} an hour ahead in either obsolete format was taken as invalid (already expired: nothing stored), and
 * an {@code If-Modified-Since} in one was ignored (a 200 where the origin answers 304).
 */
class ObsoleteHttpDateFormatsTest {

    private static final long NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final HeaderModeSettings APP = new HeaderModeSettings(false, 0, false, 3_600_000);

    @Test
    void allThreeHttpDateFormatsAreRead() {
        assertEquals(NOV_6_1994, HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT", T0));
        assertEquals(NOV_6_1994, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", T0));
        assertEquals(NOV_6_1994, HttpDates.parse("Sun Nov  6 08:49:37 1994", T0));
        assertEquals(Instant.parse("1994-11-16T08:49:37Z").toEpochMilli(),
                HttpDates.parse("Wed Nov 16 08:49:37 1994", T0));
    }

    @Test
    void aTwoDigitYearMoreThanFiftyYearsAheadIsTheCenturyBefore() {
        // Read in 2026 or later: 94 is 1994, not 2094; 30 is 2030.
        assertEquals(NOV_6_1994, HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", T0));
        assertEquals(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli(),
                HttpDates.parse("Tuesday, 01-Jan-30 00:00:00 GMT", T0));
    }

    /**
     * The century of a two-digit year was taken from the system's year ({@code Year.now()}), not from the engine's
     * injected clock: what an obsolete date meant depended on when the test or the instance ran, not on the instant
     * the engine was given.
     */
    @Test
    void aTwoDigitYearIsPlacedByTheEnginesClockNotTheSystemsYear() {
        long in1975 = Instant.parse("1975-06-01T00:00:00Z").toEpochMilli();
        long in2090 = Instant.parse("2090-06-01T00:00:00Z").toEpochMilli();
        assertEquals(Instant.parse("1930-01-01T00:00:00Z").toEpochMilli(),
                HttpDates.parse("Wednesday, 01-Jan-30 00:00:00 GMT", in1975));
        assertEquals(Instant.parse("2094-11-06T08:49:37Z").toEpochMilli(),
                HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", in2090));
    }

    @Test
    void anObsoleteExpiresIsReadInTheCenturyOfTheResponsesOwnTime() {
        // A response generated (on the engine's clock) in 2080: "80" is 2080, an hour ahead, not 1980 (expired).
        long generated = Instant.parse("2080-01-01T00:00:00Z").toEpochMilli();
        List<Header> response = List.of(new Header("Date", "Mon, 01 Jan 2080 00:00:00 GMT"),
                new Header("Expires", "Monday, 01-Jan-80 01:00:00 GMT"));
        assertEquals(3_600_000, Rfc9111Rules.lifetimeMillis(200, response, generated, APP,
                CachePolicy.MAX_TTL.toMillis()));
    }

    @Test
    void whatIsNoHttpDateStaysInvalid() {
        assertNull(HttpDates.parse("0", T0));
        assertNull(HttpDates.parse("Sunday, 31-Feb-94 08:49:37 GMT", T0));
        assertNull(HttpDates.parse("Sun Nov 6 08:49:37 1994", T0));
        assertNull(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 PST", T0));
        assertNull(HttpDates.parse("Sun Nov  6 08:49:37 1994 GMT", T0));
        assertNull(HttpDates.parse("Sun Nov  6 25:49:37 1994", T0));
    }

    @Test
    void anExpiresInAnObsoleteFormatGivesItsLifetime() {
        for (String expires : List.of("Thursday, 01-Jan-26 01:00:00 GMT", "Thu Jan  1 01:00:00 2026")) {
            List<Header> response = List.of(new Header("Date", "Thu, 01 Jan 2026 00:00:00 GMT"),
                    new Header("Expires", expires));
            assertEquals(3_600_000, Rfc9111Rules.lifetimeMillis(200, response, T0, APP,
                    CachePolicy.MAX_TTL.toMillis()), expires);
            assertNull(Rfc9111Rules.storage(200, response, "X-Cache", T0, T0, false, APP,
                    CachePolicy.MAX_TTL.toMillis()).refusal(), expires);
        }
    }
}
