package dev.responsecache.spi;

import dev.responsecache.ResponseCacheConfigException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated access to {@code responsecache.*} properties. Every parse failure names the property and the
 * value, so a bad setting is reported at start-up in words an operator can act on.
 */
public final class PropertyValues {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([KMG]I?B?|B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(MS|S)", Pattern.CASE_INSENSITIVE);
    /** Zero, alone or with a unit: {@code 0}, {@code 0ms}, {@code 0s}. */
    private static final Pattern ZERO_DURATION = Pattern.compile("0{1,12}\\s*(MS|S)?", Pattern.CASE_INSENSITIVE);
    /** The longest duration whose nanoseconds fit in a long (about 292 years), in whole seconds. */
    private static final Duration LONGEST_DURATION = Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
    private static final String LONGEST_DURATION_TEXT = LONGEST_DURATION.toSeconds() + "s";
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final Function<String, Object> lookup;

    public PropertyValues(Function<String, Object> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** The raw value as an object (for programmatic properties such as a {@link java.time.Clock}), or null. */
    public Object object(String name) {
        return lookup.apply(name);
    }

    /** The trimmed string value, or null when unset or blank. */
    public String string(String name) {
        Object value = lookup.apply(name);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    public String string(String name, String defaultValue) {
        String value = string(name);
        return value == null ? defaultValue : value;
    }

    public boolean bool(String name, boolean defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ResponseCacheConfigException.badValue(name, value, "true or false");
        };
    }

    public int positiveInt(String name, int defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ResponseCacheConfigException.badValue(name, value, "a positive integer");
    }

    public int nonNegativeInt(String name, int defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ResponseCacheConfigException.badValue(name, value, "0 or a positive integer");
    }

    /** A size in bytes: a number with an optional unit B, KB, MB, GB (binary multiples; KiB, MiB, GiB also read). */
    public long size(String name, long defaultValue) {
        String value = string(name);
        return value == null ? defaultValue : parseSize(name, value);
    }

    static long parseSize(String name, String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw ResponseCacheConfigException.badValue(name, value, "a size such as 1048576, 512KB, 64MB or 1GB");
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        try {
            long number = Long.parseLong(m.group(1));
            if (number <= 0 || number > (Long.MAX_VALUE >> shift)) {
                throw ResponseCacheConfigException.badValue(name, value, "a positive size");
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw ResponseCacheConfigException.badValue(name, value, "a positive size");
        }
    }

    /** A positive duration: a whole number with {@code ms} or {@code s}. */
    public Duration duration(String name, Duration defaultValue) {
        String value = string(name);
        return value == null ? defaultValue : parseDuration(name, value, "a positive duration such as 250ms or 2s");
    }

    /**
     * A duration, or zero for a key where zero means none (off): {@code 0}, also written with a unit ({@code 0ms},
     * {@code 0s}), as a positive duration is.
     */
    public Duration durationOrZero(String name, Duration defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        if (isZeroDuration(value)) {
            return Duration.ZERO;
        }
        return parseDuration(name, value, "0 or a positive duration such as 250ms or 2s");
    }

    /** Whether a configured text is a zero duration: {@code 0}, alone or with a unit ({@code 0ms}, {@code 0s}). */
    public static boolean isZeroDuration(String text) {
        return text != null && ZERO_DURATION.matcher(text.trim()).matches();
    }

    private static Duration parseDuration(String name, String value, String expected) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw ResponseCacheConfigException.badValue(name, value, expected);
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = m.group(2).equalsIgnoreCase("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        if (duration.compareTo(LONGEST_DURATION) > 0) {
            // Waits and timeouts are counted in nanoseconds of a long; past that, toNanos() would throw an
            // ArithmeticException naming nothing, at start-up or on the first request that waits.
            throw ResponseCacheConfigException.badValue(name, value, "a duration of at most " + LONGEST_DURATION_TEXT);
        }
        return duration;
    }

    /** A comma-separated list of HTTP statuses (100-599). */
    public List<Integer> statuses(String name, List<Integer> defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        List<Integer> statuses = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            try {
                int status = Integer.parseInt(part.trim());
                if (status >= 100 && status <= 599) {
                    statuses.add(status);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw ResponseCacheConfigException.badValue(name, value, "comma-separated HTTP statuses such as 200,404");
        }
        return List.copyOf(statuses);
    }

    /** A header name (an RFC 9110 token). */
    public String headerName(String name, String defaultValue) {
        String value = string(name);
        if (value == null) {
            return defaultValue;
        }
        if (!HEADER_NAME.matcher(value).matches()) {
            throw ResponseCacheConfigException.badValue(name, value, "an HTTP header name");
        }
        return value;
    }
}
