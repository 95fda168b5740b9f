package dev.responsecache.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The response a background refresh runs the servlet chain into: status and headers are kept here, the body goes
 * nowhere (the {@link CapturingResponse} around it keeps its copy), and nothing ever reaches the real response,
 * which the client has already received in full. It wraps the real response only because the servlet API wants one;
 * every method that would touch it is answered here. Once the servlet closed its stream or writer, or flushed the
 * buffer, the response is committed, as a container's is: a status or header set later is ignored (a miss never sends
 * it), and a reset, an error page or a redirect is refused with an {@link IllegalStateException}. The content type,
 * the writer's charset, {@code Content-Language} and dates are what the container of this application would send for
 * the same calls ({@link ResponseEncoding}); where that cannot be known, {@link #reproducible()} says so and the
 * refresh is not stored.
 */
final class DetachedResponse extends HttpServletResponseWrapper {

    /** The IMF-fixdate both containers write (RFC 9110 5.6.7): a two-digit day, always GMT. */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** 1583-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: see {@link #date(long)}. */
    private static final long FIRST_GREGORIAN_YEAR = -12_212_553_600_000L;
    private static final long LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999L;

    /** Lower-case name to the name as first set and its values. */
    private final Map<String, Field> headers = new LinkedHashMap<>();
    private final ServletContext context;
    /** The calls that changed the response, to {@link #replay}; null: not kept. */
    private final List<Consumer<HttpServletResponse>> calls;
    private int status = 200;
    private ResponseEncoding encoding;
    /** The locale {@code setLocale} set, whose {@code Content-Language} a container writing it last sends. */
    private Locale locale;
    private ServletOutputStream stream;
    private PrintWriter writer;
    /** The stream or writer was closed: without the cache the response would have gone out. */
    private volatile boolean committed;
    /** Filled to its declared length with characters the containers count apart: see {@link #filledAmbiguously}. */
    private volatile boolean filledAmbiguously;
    /** A date header the containers write apart was set: see {@link #date(long)}. */
    private volatile boolean dateUnknown;
    /** A status or header was set after such a fill: whether the container would have ignored it is unknown. */
    private volatile boolean commitUnknown;
    /**
     * The buffer of the container's response this one stands in for (its size when this one was made, then what the
     * servlet sets): the capture counts the body against it, so the servlet's response is committed where the
     * container's would have been ({@code CapturingResponse}).
     */
    private volatile int bufferSize;
    /** How the stream of the container's response this one stands in for prints text ({@link StreamPrint}). */
    private final StreamPrint streamPrint;
    /** The trailer fields the servlet set, kept here as its headers are: see {@link #setTrailerFields}. */
    private Supplier<Map<String, String>> trailerFields;

    private record Field(String name, List<String> values) {
    }

    /**
     * {@code context}: the application's, whose container and default charset it follows; null: neither known.
     * {@code committed} is complete, its stream obtained (or its writer, which leaves how its stream prints unknown).
     */
    DetachedResponse(HttpServletResponse committed, ServletContext context) {
        this(committed, context, null, printOf(committed));
    }

    private DetachedResponse(HttpServletResponse response, ServletContext context,
                             List<Consumer<HttpServletResponse>> calls, StreamPrint streamPrint) {
        super(response);
        this.context = context;
        this.encoding = ResponseEncoding.of(context);
        this.calls = calls;
        this.bufferSize = response.getBufferSize();
        this.streamPrint = streamPrint;
    }

    /**
     * One that keeps the servlet's calls, for {@link #replay} on the container's response it stands in front of. How
     * that response's stream prints is not asked: its stream is not taken before the servlet takes it.
     */
    static DetachedResponse replayable(HttpServletResponse container, ServletContext context) {
        return new DetachedResponse(container, context, new ArrayList<>(), StreamPrint.UNKNOWN);
    }

    private static StreamPrint printOf(HttpServletResponse committed) {
        try {
            return StreamPrint.of(committed.getOutputStream());
        } catch (IOException | RuntimeException writerTaken) {
            return StreamPrint.UNKNOWN;
        }
    }

    /** How the container's stream would have printed the servlet's text ({@link StreamPrint}). */
    StreamPrint streamPrint() {
        return streamPrint;
    }

    /**
     * Makes the same calls on {@code container}, in the same order: the container then sends what it would have
     * sent had the servlet made them there (its own content type, charset and date rules).
     */
    void replay(HttpServletResponse container) {
        for (Consumer<HttpServletResponse> call : calls) {
            call.accept(container);
        }
    }

    private void record(Consumer<HttpServletResponse> call) {
        if (filledAmbiguously && !committed) {
            commitUnknown = true;
        }
        if (calls != null) {
            calls.add(call);
        }
    }

    /**
     * Whether the container would have sent what this response holds: false on a container it has no rules for, or
     * when the charset came from what the servlet API does not show (a locale-encoding mapping).
     */
    boolean reproducible() {
        return !encoding.unknown() && !commitUnknown && !dateUnknown;
    }

    /**
     * {@code date} as both containers write it; outside the years 1583 to 9999 they write it apart from each other and
     * from {@link #HTTP_DATE} (a calendar that is Julian before 1582, a year of two digits or five, where this has a
     * sign): such a date makes the response {@link #reproducible() unknown}.
     */
    private String date(long date) {
        if (date < FIRST_GREGORIAN_YEAR || date > LAST_FOUR_DIGIT_YEAR) {
            dateUnknown = true;
        }
        return HTTP_DATE.format(Instant.ofEpochMilli(date));
    }

    /**
     * The body was filled to its declared length with characters the containers count apart (Tomcat one per
     * character until a flush, Jetty their bytes): a flush of the writer commits the response on both, but a status
     * or header set before one is ignored by one container and sent by the other, so such a refresh is not stored.
     */
    void filledAmbiguously() {
        filledAmbiguously = true;
    }

    private void writerFlushed() {
        if (filledAmbiguously) {
            commit();
        }
    }

    @Override
    public void setStatus(int status) {
        if (committed) {
            return;
        }
        record(container -> container.setStatus(status));
        this.status = status;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void sendError(int status, String message) {
        sendError(status);
    }

    /** The container renders its error page after the servlet: from here on the response is its own. */
    @Override
    public void sendError(int status) {
        refuseWhenCommitted();
        this.status = status;
        commit();
    }

    @Override
    public void sendRedirect(String location) {
        refuseWhenCommitted();
        status = 302;
        putHeader("Location", location);
        commit();
    }

    @Override
    public void addCookie(Cookie cookie) {
        // Never stored (the rules refuse a Set-Cookie), and never anyone's: only its presence matters.
        addHeader("Set-Cookie", cookie.getName() + "=" + cookie.getValue());
    }

    /**
     * Kept here, and made again on the container by {@link #replay}: passed on, they reached a response that has gone
     * out (a refresh's) or, for an armed deadline's, one that is reset before the servlet's calls are made again on
     * it, which dropped them, so the client of the miss got none.
     */
    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        record(container -> container.setTrailerFields(supplier));
        trailerFields = supplier;
    }

    @Override
    public Supplier<Map<String, String>> getTrailerFields() {
        return trailerFields;
    }

    @Override
    public boolean containsHeader(String name) {
        return getHeader(name) != null;
    }

    @Override
    public void setHeader(String name, String value) {
        if (name != null && !committed && (value != null || encoding.nullValueRemovesHeader())) {
            record(container -> container.setHeader(name, value));
            putHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (name != null && value != null && !committed) {
            record(container -> container.addHeader(name, value));
            appendHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (name != null && !committed) {
            record(container -> container.setIntHeader(name, value));
            putHeader(name, Integer.toString(value));
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (name != null && !committed) {
            record(container -> container.addIntHeader(name, value));
            appendHeader(name, Integer.toString(value));
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (name != null && !committed) {
            record(container -> container.setDateHeader(name, date));
            putHeader(name, date(date));
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (name != null && !committed) {
            record(container -> container.addDateHeader(name, date));
            appendHeader(name, date(date));
        }
    }

    private void putHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            encoding.setContentType(value);
            return;
        }
        headers.remove(name.toLowerCase(Locale.ROOT));
        if (value != null) {
            appendHeader(name, value);
        }
    }

    private void appendHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            encoding.setContentType(value);
            return;
        }
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), lower -> new Field(name, new ArrayList<>()))
                .values().add(value);
    }

    @Override
    public String getHeader(String name) {
        Collection<String> values = getHeaders(name);
        return values.isEmpty() ? null : values.iterator().next();
    }

    @Override
    public Collection<String> getHeaders(String name) {
        if (name.equalsIgnoreCase("Content-Type")) {
            String type = getContentType();
            return type == null ? List.of() : List.of(type);
        }
        if (locale != null && encoding.languageOverridesHeader() && name.equalsIgnoreCase("Content-Language")) {
            return List.of(encoding.contentLanguage(locale));
        }
        Field field = headers.get(name.toLowerCase(Locale.ROOT));
        return field == null ? List.of() : List.copyOf(field.values());
    }

    /** Every header the client would get, {@code Content-Type} and {@code Content-Language} included. */
    @Override
    public Collection<String> getHeaderNames() {
        List<String> names = new ArrayList<>(headers.size() + 2);
        headers.values().forEach(field -> names.add(field.name()));
        if (locale != null && encoding.languageOverridesHeader() && !headers.containsKey("content-language")) {
            names.add("Content-Language");
        }
        if (getContentType() != null) {
            names.add("Content-Type");
        }
        return names;
    }

    @Override
    public void setContentType(String type) {
        if (!committed) {
            record(container -> container.setContentType(type));
            encoding.setContentType(type);
        }
    }

    @Override
    public String getContentType() {
        return encoding.getContentType();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (!committed) {
            record(container -> container.setCharacterEncoding(charset));
            encoding.setCharacterEncoding(charset);
        }
    }

    @Override
    public String getCharacterEncoding() {
        return encoding.getCharacterEncoding();
    }

    @Override
    public void setContentLength(int length) {
        setContentLengthLong(length);
    }

    /** A negative length, as on both containers, takes the header away. */
    @Override
    public void setContentLengthLong(long length) {
        if (committed) {
            return;
        }
        record(container -> container.setContentLengthLong(length));
        putHeader("Content-Length", length < 0 ? null : Long.toString(length));
    }

    @Override
    public void setLocale(Locale locale) {
        if (committed) {
            return;
        }
        record(container -> container.setLocale(locale));
        this.locale = locale;
        if (!encoding.languageOverridesHeader()) {
            putHeader("Content-Language", locale == null ? null : encoding.contentLanguage(locale));
        }
        encoding.setLocale(locale);
    }

    @Override
    public Locale getLocale() {
        return locale == null ? Locale.getDefault() : locale;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has been called");
        }
        if (stream == null) {
            stream = new DiscardingOutputStream(this::commit);
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() has been called");
        }
        if (writer == null) {
            Charset charset;
            try {
                charset = Charset.forName(encoding.takeWriter());
            } catch (IllegalArgumentException unsupported) {
                // The container refuses it its own way; the capture refuses it too.
                charset = StandardCharsets.ISO_8859_1;
            }
            writer = new PrintWriter(new OutputStreamWriter(new DiscardingOutputStream(this::commit,
                    this::writerFlushed), charset));
        }
        return writer;
    }

    /** Refused once committed, as both containers refuse it; the size is the one the container would take. */
    @Override
    public void setBufferSize(int size) {
        refuseWhenCommitted();
        bufferSize = encoding.bufferSizeAfter(bufferSize, size);
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public void flushBuffer() {
        commit();
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public void reset() {
        refuseWhenCommitted();
        record(HttpServletResponse::reset);
        headers.clear();
        status = 200;
        locale = null;
        trailerFields = null;
        encoding = ResponseEncoding.of(context);
        stream = null;
        writer = null;
    }

    @Override
    public void resetBuffer() {
        refuseWhenCommitted();
    }

    private void commit() {
        committed = true;
    }

    private void refuseWhenCommitted() {
        if (committed) {
            throw new IllegalStateException("Committed: the stream or writer was closed");
        }
    }
}
