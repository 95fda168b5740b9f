package dev.responsecache.servlet;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Jetty 12's rules ({@code ServletContextResponse} and {@code ServletApiResponse} of ee10, with the default
 * {@code MimeTypes}): a type it knows is written in its own spelling ({@code text/html;charset=utf-8}); the writer of
 * a type without a charset encodes with the type's inferred charset ({@code text/html}: UTF-8, {@code text/plain}:
 * ISO-8859-1), then the context's default, then ISO-8859-1, and adds it to the type, except for the JSON types, whose
 * assumed UTF-8 is never written; a charset named after the writer gives way to the writer's; {@code Content-Language}
 * is the locale's {@code toString} with hyphens, an ordinary header.
 */
final class JettyEncoding implements ResponseEncoding {

    /** {@code MimeTypes.Type}: lower-case spelling to the spelling Jetty writes. */
    private static final Map<String, String> KNOWN = spellings("application/x-www-form-urlencoded", "message/http",
            "multipart/byteranges", "multipart/form-data", "text/html", "text/plain", "text/xml", "text/json",
            "application/json", "text/html;charset=iso-8859-1", "text/html;charset=utf-8",
            "text/plain;charset=iso-8859-1", "text/plain;charset=utf-8", "text/xml;charset=iso-8859-1",
            "text/xml;charset=utf-8", "text/json;charset=iso-8859-1", "text/json;charset=utf-8",
            "application/json;charset=iso-8859-1", "application/json;charset=utf-8");
    /** The known types whose UTF-8 is assumed: used, never written. */
    private static final Set<String> ASSUMED_TYPES = Set.of("text/json", "application/json");
    /** {@code encoding.properties}, by the exact type string: inferred charsets are written, assumed ones not. */
    private static final Map<String, String> INFERRED = Map.of("text/html", "UTF-8", "text/plain", "ISO-8859-1",
            "text/xml", "UTF-8", "application/xhtml+xml", "UTF-8");
    private static final Map<String, String> ASSUMED = Map.of("text/json", "UTF-8", "application/json", "UTF-8",
            "application/vnd.api+json", "UTF-8");
    /** {@code MimeTypes.normalizeCharset}. */
    private static final Map<String, String> NORMAL_CHARSETS = Map.of("utf-8", "utf-8", "utf8", "utf-8",
            "utf-16", "utf-16", "utf16", "utf-16", "iso-8859-1", "iso-8859-1", "iso_8859_1", "iso-8859-1");

    private enum From { NOT_SET, DEFAULT, INFERRED, SET_LOCALE, SET_CONTENT_TYPE, SET_CHARACTER_ENCODING }

    private final String defaultCharset;
    private String contentType;
    /** The known type's spelling, or null. */
    private String mime;
    private String characterEncoding;
    private From from = From.NOT_SET;
    private boolean writing;
    private boolean localeMayName;
    private boolean unparsed;

    JettyEncoding(String defaultCharset) {
        this.defaultCharset = defaultCharset;
    }

    @Override
    public void setContentType(String type) {
        if (type == null) {
            if (writing && characterEncoding != null) {
                // Jetty throws: the servlet's own failure, not one to imitate.
                unparsed = true;
                return;
            }
            contentType = null;
            mime = null;
            if (!writing && from != From.SET_CHARACTER_ENCODING && from != From.SET_LOCALE) {
                characterEncoding = null;
                if (from != From.NOT_SET) {
                    // Jetty keeps the source with no charset: what it appends next is not worth imitating.
                    unparsed = true;
                }
            }
            return;
        }
        String[] parsed = ResponseEncoding.parse(type);
        if (parsed == null || parsed[1] != null && !charsetReadByJetty(type)) {
            unparsed = true;
        }
        contentType = type;
        mime = KNOWN.get(type.toLowerCase(Locale.ROOT).replace("; charset=", ";charset="));
        String charset = parsed == null || parsed[1] == null ? null : normalized(parsed[1]);
        if (charset == null && mime != null && ASSUMED_TYPES.contains(mime)) {
            charset = "utf-8";
        }
        if (charset == null) {
            if (from != From.NOT_SET) {
                contentType = contentType + ";charset=" + characterEncoding;
                mime = known(contentType);
            }
        } else if (writing && !charset.equalsIgnoreCase(characterEncoding)) {
            boolean assumed = mime != null && ASSUMED_TYPES.contains(mime);
            contentType = parsed == null ? type : parsed[0];
            if (characterEncoding != null && !assumed) {
                contentType = contentType + ";charset=" + characterEncoding;
            }
            mime = known(contentType);
        } else {
            characterEncoding = charset;
            from = From.SET_CONTENT_TYPE;
            localeMayName = false;
        }
        if (mime != null) {
            contentType = mime;
        }
    }

    @Override
    public void setCharacterEncoding(String charset) {
        set(charset, From.SET_CHARACTER_ENCODING);
    }

    private void set(String charset, From source) {
        if (writing) {
            return;
        }
        if (source == From.SET_CHARACTER_ENCODING) {
            localeMayName = false;
        }
        if (charset == null) {
            from = From.NOT_SET;
            if (characterEncoding != null) {
                characterEncoding = null;
                if (contentType != null) {
                    contentType = base(contentType);
                    String spelled = known(contentType);
                    contentType = spelled == null ? contentType : spelled;
                    mime = spelled;
                }
            }
            return;
        }
        from = source;
        characterEncoding = normalized(charset);
        if (contentType != null) {
            contentType = base(contentType) + ";charset=" + characterEncoding;
            mime = known(contentType);
            if (mime != null) {
                contentType = mime;
            }
        }
    }

    @Override
    public void setLocale(Locale locale) {
        if (locale == null) {
            if (from == From.SET_LOCALE) {
                set(null, From.NOT_SET);
            }
            return;
        }
        if (!writing && from != From.SET_CONTENT_TYPE && from != From.SET_CHARACTER_ENCODING) {
            localeMayName = true;
        }
    }

    @Override
    public String getCharacterEncoding() {
        return encoding(false);
    }

    private String encoding(boolean setContentType) {
        if (characterEncoding != null) {
            return characterEncoding;
        }
        if (mime != null && ASSUMED_TYPES.contains(mime)) {
            return "utf-8";
        }
        String assumed = contentType == null ? null : ASSUMED.get(contentType);
        if (assumed != null) {
            return assumed;
        }
        String inferred = contentType == null ? null : INFERRED.get(contentType);
        if (inferred != null) {
            if (setContentType) {
                set(inferred, From.INFERRED);
            }
            return inferred;
        }
        String fallback = defaultCharset != null ? defaultCharset : "iso-8859-1";
        if (setContentType) {
            set(fallback, From.DEFAULT);
        }
        return fallback;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String takeWriter() {
        if (localeMayName) {
            unparsed = true;
        }
        String charset = writing ? encoding(false) : encoding(true);
        writing = true;
        return charset;
    }

    @Override
    public String contentLanguage(Locale locale) {
        return locale.toString().replace('_', '-');
    }

    @Override
    public boolean languageOverridesHeader() {
        return false;
    }

    @Override
    public boolean nullValueRemovesHeader() {
        return true;
    }

    /** Jetty takes any size, from one byte up. */
    @Override
    public int bufferSizeAfter(int current, int size) {
        return Math.max(size, 1);
    }

    @Override
    public boolean unknown() {
        return unparsed || (localeMayName && contentType != null);
    }

    /**
     * Whether Jetty reads the charset of {@code type}, which {@link ResponseEncoding#parse} found: its
     * {@code MimeTypes.getCharsetFromContentType} takes only {@code charset} in lower case, after spaces alone
     * ({@code text/html; CHARSET=utf-8} and a tab before it leave the type without one, which Jetty then writes with
     * another charset).
     */
    private static boolean charsetReadByJetty(String type) {
        int at = type.indexOf(';') + 1;
        while (at < type.length() && type.charAt(at) == ' ') {
            at++;
        }
        return type.startsWith("charset=", at);
    }

    private static String normalized(String charset) {
        return NORMAL_CHARSETS.getOrDefault(charset.toLowerCase(Locale.ROOT), charset);
    }

    private static String known(String type) {
        return KNOWN.get(type.toLowerCase(Locale.ROOT).replace("; charset=", ";charset="));
    }

    /** {@code MimeTypes.getContentTypeWithoutCharset} for the types this port parses. */
    private static String base(String type) {
        String[] parsed = ResponseEncoding.parse(type);
        return parsed == null ? type : parsed[0];
    }

    private static Map<String, String> spellings(String... types) {
        Map<String, String> known = new HashMap<>();
        for (String type : types) {
            known.put(type, type);
        }
        return Map.copyOf(known);
    }
}
