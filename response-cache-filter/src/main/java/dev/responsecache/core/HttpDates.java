package dev.responsecache.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of HTTP-dates (RFC 9110 5.6.7), which "MUST accept all three HTTP-date formats": IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 format ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and
 * ANSI C's asctime() format ({@code Sun Nov  6 08:49:37 1994}). Origins and clients still send the obsolete ones
 * (old CGI scripts, libraries formatting {@code Expires} as cookies' dates do); read as invalid, an {@code Expires}
 * meant already expired and an {@code If-Modified-Since} was ignored. Public for the servlet adapter, whose
 * revalidating request hands the servlet the stored validators as {@code getDateHeader} values. The century of an
 * RFC 850 date's two-digit year depends on the current year, which the caller gives from the engine's injected
 * {@code Clock} (never the system's), so that a date is read the same way by every test and every instance.
 */
public final class HttpDates {

    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec");
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
    /**
     * IMF-fixdate as RFC 9110 5.6.7 writes it (the seconds, {@code GMT}), but for a day of one digit, as Java's
     * {@code RFC_1123_DATE_TIME} writes the first nine days of a month, which Jersey, Jetty and Tomcat all read.
     */
    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} " + MONTH + " \\d{4} " + TIME + " GMT");
    private static final Pattern RFC_850 = Pattern.compile(
            "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME
                    + " GMT");
    private static final Pattern ASCTIME = Pattern.compile(
            "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) " + MONTH + " ( \\d|\\d{2}) " + TIME + " (\\d{4})");

    private HttpDates() {
    }

    /**
     * The date in epoch milliseconds; null when absent or in none of the three formats.
     *
     * @param nowMillis the current instant on the engine's clock, which places a two-digit year in its century
     */
    public static Long parse(String value, long nowMillis) {
        if (value == null) {
            return null;
        }
        String text = value.trim();
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException notImfFixdate) {
            // One of the obsolete formats, or none.
        }
        Matcher rfc850 = RFC_850.matcher(text);
        if (rfc850.matches()) {
            return at(twoDigitYear(Integer.parseInt(rfc850.group(3)), nowMillis), rfc850.group(2), rfc850.group(1),
                    rfc850, 4);
        }
        Matcher asctime = ASCTIME.matcher(text);
        if (asctime.matches()) {
            return at(Integer.parseInt(asctime.group(6)), asctime.group(1), asctime.group(2), asctime, 3);
        }
        return null;
    }

    /**
     * Whether {@code value} is an HTTP-date as RFC 9110 5.6.7 writes one of its three formats (a day of one digit
     * aside), its day name the date's own: the dates every reader reads, and reads alike. Readers differ on the rest:
     * {@code 01 Jan 2020 00:00:00 GMT} is a date to Jetty, none to Jersey (which ignores it) and an error to Tomcat
     * (whose {@code getDateHeader} throws: a 500 from a servlet's {@code getLastModified}); a day name that does not
     * fit is a date to all three and to no {@link #parse}.
     */
    public static boolean readAlikeEverywhere(String value, long nowMillis) {
        Long date = parse(value, nowMillis);
        if (date == null) {
            return false;
        }
        String day = Instant.ofEpochMilli(date).atZone(ZoneOffset.UTC).getDayOfWeek()
                .getDisplayName(TextStyle.SHORT, Locale.ROOT);
        Matcher fixdate = IMF_FIXDATE.matcher(value);
        if (fixdate.matches()) {
            return fixdate.group(1).equals(day);
        }
        return (RFC_850.matcher(value).matches() || ASCTIME.matcher(value).matches()) && value.startsWith(day);
    }

    /**
     * RFC 9110 5.6.7: a two-digit year that "appears to be more than 50 years in the future" is "the most recent
     * year in the past that had the same last two digits".
     */
    private static int twoDigitYear(int yy, long nowMillis) {
        int now = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).getYear();
        int year = now - now % 100 + yy;
        return year > now + 50 ? year - 100 : year;
    }

    private static Long at(int year, String month, String day, Matcher time, int firstTimeGroup) {
        try {
            return LocalDateTime.of(year, MONTHS.indexOf(month) + 1, Integer.parseInt(day.trim()),
                    Integer.parseInt(time.group(firstTimeGroup)), Integer.parseInt(time.group(firstTimeGroup + 1)),
                    Integer.parseInt(time.group(firstTimeGroup + 2))).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException impossible) {
            // 31 February, hour 25: no date.
            return null;
        }
    }
}
