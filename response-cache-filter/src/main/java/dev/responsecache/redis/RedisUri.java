package dev.responsecache.redis;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Redis is and how to log in, read from {@code redis://[[user]:password@]host[:port][/database]}, or
 * {@code rediss://...} for TLS. The password never appears in {@link #toString()} or in an error message.
 *
 * @param tls      whether to connect with TLS ({@code rediss})
 * @param host     host name or address
 * @param port     1 to 65535; 6379 when the URI names none
 * @param database database index; 0 when the URI names none
 * @param user     ACL user, or null for the default user
 * @param password password, or null when Redis asks for none
 */
record RedisUri(boolean tls, String host, int port, int database, String user, String password) {

    static final int DEFAULT_PORT = 6379;
    private static final String FORMS = "redis://[[user]:password@]host[:port][/database], or rediss://... for TLS";
    private static final Pattern DATABASE = Pattern.compile("/(\\d{1,5})?");
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^@/?#]*)@");

    RedisUri {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (database < 0) {
            throw new IllegalArgumentException("negative database: " + database);
        }
    }

    /**
     * Reads the value of {@link ResponseCacheProperties#REDIS_URI}.
     *
     * @throws ResponseCacheConfigException naming the property when the value is missing or not such a URI
     */
    static RedisUri parse(String text) {
        if (text == null) {
            throw new ResponseCacheConfigException(ResponseCacheProperties.REDIS_URI + " must be set when "
                    + ResponseCacheProperties.STORE + "=redis, for example redis://localhost:6379/0");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw malformed(text);
        }
        boolean tls;
        if ("redis".equalsIgnoreCase(uri.getScheme())) {
            tls = false;
        } else if ("rediss".equalsIgnoreCase(uri.getScheme())) {
            tls = true;
        } else {
            throw malformed(text);
        }
        // A null host means the authority did not parse as host[:port] (for instance a port that is not a number).
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw malformed(text);
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw malformed(text);
        }
        String path = uri.getRawPath();
        int database = 0;
        if (path != null && !path.isEmpty()) {
            Matcher m = DATABASE.matcher(path);
            if (!m.matches()) {
                throw malformed(text);
            }
            database = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        }
        String user = null;
        String password = null;
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            // "user" alone is ambiguous (a user without a password, or a password): ask for the explicit form.
            if (colon < 0 || colon == userInfo.length() - 1) {
                throw malformed(text);
            }
            user = colon == 0 ? null : userInfo.substring(0, colon);
            password = userInfo.substring(colon + 1);
        }
        return new RedisUri(tls, unbracketed(uri.getHost()), port, database, user, password);
    }

    /** {@code host:port}, for log lines. */
    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        String login = password == null ? "" : (user == null ? "" : user) + ":****@";
        return (tls ? "rediss://" : "redis://") + login + address() + "/" + database;
    }

    /** The value with any password replaced by {@code ****}, fit for an error message. */
    static String redacted(String text) {
        Matcher m = USER_INFO.matcher(text);
        if (!m.find()) {
            return text;
        }
        String userInfo = m.group(2);
        int colon = userInfo.indexOf(':');
        String kept = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
        return m.group(1) + kept + "@" + text.substring(m.end());
    }

    private static ResponseCacheConfigException malformed(String text) {
        return ResponseCacheConfigException.badValue(ResponseCacheProperties.REDIS_URI, redacted(text), FORMS);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
