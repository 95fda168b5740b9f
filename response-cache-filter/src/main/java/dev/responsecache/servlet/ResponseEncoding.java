package dev.responsecache.servlet;

import jakarta.servlet.ServletContext;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a container turns a servlet's content type, character encoding and locale calls into the {@code Content-Type},
 * the writer's charset and the {@code Content-Language} it sends, for the {@link DetachedResponse} a background refresh
 * runs into: the refreshed entry must say what a live miss on the same container says. Jetty 12 and Tomcat 10.1 follow
 * the Servlet 6 rules (explicit charset, then the type's, then the locale's mapping, then the context's default, then
 * ISO-8859-1; none taken after the writer) but write them differently, so each has its own port. What the servlet API
 * does not show (a locale-encoding mapping, an unknown container, a type this port does not parse as the container
 * does) makes the response {@link #unknown() unknown}: it is then not stored.
 */
interface ResponseEncoding {

    /** A type with no parameter but one unquoted charset: the only ones both ports format as their container does. */
    Pattern SIMPLE_TYPE = Pattern.compile(
            "([!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:;[ \\t]*charset=([!#$%&'*+.^_`|~0-9A-Za-z-]+))?",
            Pattern.CASE_INSENSITIVE);

    void setContentType(String type);

    void setCharacterEncoding(String charset);

    /** The locale's effect on the charset; {@code Content-Language} is the {@link DetachedResponse}'s. */
    void setLocale(Locale locale);

    String getCharacterEncoding();

    /** The {@code Content-Type} the container sends now, charset included when it adds one. */
    String getContentType();

    /** The writer is taken: the charset it encodes with, fixed from now on. */
    String takeWriter();

    /** The {@code Content-Language} value {@code setLocale} sends. */
    String contentLanguage(Locale locale);

    /** Whether {@code setLocale}'s header replaces one set by name (Tomcat writes it last) rather than being one. */
    boolean languageOverridesHeader();

    /** Whether {@code setHeader(name, null)} removes the header (Jetty) rather than being ignored (Tomcat). */
    boolean nullValueRemovesHeader();

    /** True when what the container sends depends on what this port cannot know. */
    boolean unknown();

    /** The buffer size the container's response has after {@code setBufferSize(size)} on one of {@code current}. */
    int bufferSizeAfter(int current, int size);

    /**
     * The port for the container {@code context} belongs to; for another container (or none) Tomcat's, which follows
     * the specification's words most closely, marked unknown.
     */
    static ResponseEncoding of(ServletContext context) {
        String server = context == null ? null : context.getServerInfo();
        String defaultCharset = context == null ? null : context.getResponseCharacterEncoding();
        if (server != null && server.toLowerCase(Locale.ROOT).startsWith("jetty/12.")) {
            return new JettyEncoding(defaultCharset);
        }
        boolean tomcat = server != null && server.startsWith("Apache Tomcat/10.1.");
        return new TomcatEncoding(defaultCharset, !tomcat);
    }

    /** The type's base and charset (null: none), or null for a type this port does not parse as the containers do. */
    static String[] parse(String type) {
        Matcher matcher = SIMPLE_TYPE.matcher(type);
        return matcher.matches() ? new String[] {matcher.group(1), matcher.group(2)} : null;
    }
}
