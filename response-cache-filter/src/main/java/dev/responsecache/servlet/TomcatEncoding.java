package dev.responsecache.servlet;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;

/**
 * Tomcat 10.1's rules ({@code org.apache.catalina.connector.Response} over {@code org.apache.coyote.Response}): the
 * type is kept without its charset, which is appended as the servlet named it ({@code ;charset=UTF-8}); the writer
 * sets the charset it encodes with (the context's default, else ISO-8859-1) so that the type says it; a charset named
 * after the writer is ignored; {@code Content-Language} is the locale's language tag, kept apart from the headers.
 */
final class TomcatEncoding implements ResponseEncoding {

    private final String defaultCharset;
    private final boolean otherContainer;
    /** The type without its charset, or as set when it names none. */
    private String contentType;
    /** The charset as the servlet named it: the container appends exactly that name. */
    private String charset;
    private boolean charsetSet;
    private boolean usingWriter;
    /** A locale was set that a locale-encoding mapping, which the servlet API does not show, may turn into a charset. */
    private boolean localeMayName;
    private boolean unparsed;

    TomcatEncoding(String defaultCharset, boolean otherContainer) {
        this.defaultCharset = defaultCharset;
        this.otherContainer = otherContainer;
    }

    @Override
    public void setContentType(String type) {
        if (type == null) {
            contentType = null;
            charset = null;
            charsetSet = false;
            localeMayName = false;
            return;
        }
        String[] parsed = ResponseEncoding.parse(type);
        if (parsed == null) {
            unparsed = true;
            contentType = type;
            return;
        }
        if (parsed[1] == null) {
            contentType = type;
            return;
        }
        contentType = parsed[0];
        if (!usingWriter && supported(parsed[1])) {
            charset = parsed[1];
            charsetSet = true;
            localeMayName = false;
        }
    }

    @Override
    public void setCharacterEncoding(String name) {
        if (usingWriter || (name != null && !supported(name))) {
            return;
        }
        charset = name;
        charsetSet = name != null;
        localeMayName = false;
    }

    @Override
    public void setLocale(Locale locale) {
        if (usingWriter || charsetSet) {
            return;
        }
        if (locale == null) {
            charset = null;
            localeMayName = false;
        } else {
            localeMayName = true;
        }
    }

    @Override
    public String getCharacterEncoding() {
        if (charset != null) {
            return charset;
        }
        return defaultCharset != null ? defaultCharset : "ISO-8859-1";
    }

    @Override
    public String getContentType() {
        if (contentType == null || charset == null) {
            return contentType;
        }
        return contentType + ";charset=" + charset;
    }

    @Override
    public String takeWriter() {
        if (!usingWriter) {
            if (localeMayName) {
                unparsed = true;
            }
            setCharacterEncoding(getCharacterEncoding());
            usingWriter = true;
        }
        return getCharacterEncoding();
    }

    @Override
    public String contentLanguage(Locale locale) {
        return locale.toLanguageTag();
    }

    @Override
    public boolean languageOverridesHeader() {
        return true;
    }

    /** Tomcat returns from {@code setHeader} on a null value before it looks at the name, Content-Type's too. */
    @Override
    public boolean nullValueRemovesHeader() {
        return false;
    }

    /** Tomcat only enlarges its buffer: a smaller size leaves it as it is. */
    @Override
    public int bufferSizeAfter(int current, int size) {
        return Math.max(current, size);
    }

    @Override
    public boolean unknown() {
        return otherContainer || unparsed || (localeMayName && contentType != null);
    }

    /** A charset the JVM does not know is refused by Tomcat (logged, the call ignored). */
    private static boolean supported(String name) {
        try {
            return Charset.isSupported(name);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }
}
