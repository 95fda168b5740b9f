package dev.responsecache.core;

import dev.responsecache.ResponseCacheProperties;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The one line logged when a cache starts: that it is on, which store, the settings that shape every entry, and every
 * setting that was given explicitly (so a typo'd or forgotten property shows by its absence). Secrets in values are
 * masked: the user information of a URI, and anything whose name speaks of a password.
 */
final class StartupLine {

    /** A URI's user information: up to its last {@code @}, so that an unescaped {@code @} or {@code /} in a password
     * is masked too. */
    private static final Pattern URI_USER_INFO = Pattern.compile("(?<=://).*@(?=[^@]*$)");

    private StartupLine() {
    }

    static String of(CacheSettings settings, Map<String, Object> given) {
        return "Response cache on: " + settings(settings, given);
    }

    /**
     * The line of a cache opened again because another component of {@code application} added settings: what changed
     * ({@code name: before -> after}, "default" for a setting that was not given), then the settings now in force.
     * The first line stays true until then; this one says it was replaced, so that one cache reads as one cache.
     */
    static String reopened(String application, Map<String, Object> before, CacheSettings settings,
                           Map<String, Object> given) {
        StringJoiner changes = new StringJoiner(", ");
        for (Map.Entry<String, Object> setting : new TreeMap<>(given).entrySet()) {
            Object was = before.get(setting.getKey());
            String now = shown(setting.getKey(), setting.getValue());
            String then = was == null ? "default" : shown(setting.getKey(), was);
            if (!now.equals(then)) {
                changes.add(setting.getKey() + " " + then + " -> " + now);
            }
        }
        return "Response cache reopened for application " + (application.isEmpty() ? "" : "'" + application + "' ")
                + "with settings another component added: " + changes + "; now " + settings(settings, given);
    }

    private static String settings(CacheSettings settings, Map<String, Object> given) {
        StringBuilder line = new StringBuilder("store=").append(settings.storeName())
                .append(", max-body-size=").append(settings.maxBodyBytes()).append(" bytes")
                .append(", cacheable-statuses=").append(new TreeSet<>(settings.cacheableStatuses()))
                .append(", coalesce-wait=").append(settings.coalesceWait().isZero() ? "off" : settings.coalesceWait())
                .append(", status-header=").append(settings.statusHeader())
                .append(", longest ttl=").append(CachePolicy.MAX_TTL.toDays()).append(" days");
        StringJoiner explicit = new StringJoiner(", ", "; set: ", "").setEmptyValue("; every setting at its default");
        for (Map.Entry<String, Object> setting : given.entrySet()) {
            explicit.add(setting.getKey() + "=" + shown(setting.getKey(), setting.getValue()));
        }
        return line.append(explicit).toString();
    }

    /** A setting's value as it may be logged: secrets masked. Also used by error messages that show values. */
    static String shown(String name, Object value) {
        if (value instanceof Clock clock) {
            return clock.getClass().getName();
        }
        String text = String.valueOf(value).trim();
        if (name.toLowerCase(Locale.ROOT).contains("password") || name.toLowerCase(Locale.ROOT).contains("token")) {
            return "***";
        }
        if (name.equals(ResponseCacheProperties.REDIS_URI) || text.contains("://")) {
            return URI_USER_INFO.matcher(text).replaceFirst("***@");
        }
        return text;
    }
}
