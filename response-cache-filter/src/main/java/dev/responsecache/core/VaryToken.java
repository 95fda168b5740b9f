package dev.responsecache.core;

import dev.responsecache.spi.Header;

import java.util.Locale;

/** One {@code varyBy} element: something of the request, besides path, query and media type, that keys the entry. */
public sealed interface VaryToken {

    /** The token as written in configuration, for messages. */
    String text();

    /** A request header; the name is compared case-insensitively. */
    record Header(String name) implements VaryToken {
        public Header {
            name = name.toLowerCase(Locale.ROOT);
        }

        @Override
        public String text() {
            return "header:" + name;
        }
    }

    /** A request cookie; the name is case-sensitive, as cookie names are. */
    record Cookie(String name) implements VaryToken {
        @Override
        public String text() {
            return "cookie:" + name;
        }
    }

    /** The authenticated user's name. */
    record Principal() implements VaryToken {
        @Override
        public String text() {
            return "principal";
        }
    }

    /**
     * Parses {@code header:<Name>}, {@code cookie:<name>} or {@code principal}.
     *
     * @throws IllegalArgumentException describing what is wrong with the token
     */
    static VaryToken parse(String token) {
        String text = token == null ? "" : token.trim();
        int colon = text.indexOf(':');
        String kind = (colon < 0 ? text : text.substring(0, colon)).toLowerCase(Locale.ROOT);
        String name = colon < 0 ? "" : text.substring(colon + 1).trim();
        switch (kind) {
            case "principal":
                if (colon < 0) {
                    return new Principal();
                }
                break;
            case "header":
            case "cookie":
                if (name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    return kind.equals("header") ? new Header(name) : new Cookie(name);
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("unknown varyBy token '" + token
                + "' (expected header:<Name>, cookie:<name> or principal)");
    }
}
