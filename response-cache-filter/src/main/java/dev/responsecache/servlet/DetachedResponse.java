package dev.responsecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

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

/**
 * The response a background refresh runs the servlet chain into: status and headers are kept here, the body goes
 * nowhere (the {@link CapturingResponse} around it keeps its copy), and nothing ever reaches the real response,
 * which the client has already received in full. It wraps the real response only because the servlet API wants one;
 * every method that would touch it is answered here. Once the servlet closed its stream or writer the response is
 * committed, as a container's is: a status or header set later is ignored (a miss never sends it), and a reset, an
 * error page or a redirect is refused with an {@link IllegalStateException}.
 */
final class DetachedResponse extends HttpServletResponseWrapper {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** Lower-case name to the name as first set and its values. */
    private final Map<String, Field> headers = new LinkedHashMap<>();
    private int status = 200;
    private String contentType;
    private String characterEncoding;
    private ServletOutputStream stream;
    private PrintWriter writer;
    /** The stream or writer was closed: without the cache the response would have gone out. */
    private volatile boolean committed;

    private record Field(String name, List<String> values) {
    }

    DetachedResponse(HttpServletResponse committed) {
        super(committed);
    }

    @Override
    public void setStatus(int status) {
        if (committed) {
            return;
        }
        this.status = status;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void sendError(int status, String message) {
        refuseWhenCommitted();
        this.status = status;
    }

    @Override
    public void sendError(int status) {
        refuseWhenCommitted();
        this.status = status;
    }

    @Override
    public void sendRedirect(String location) {
        refuseWhenCommitted();
        status = 302;
        setHeader("Location", location);
    }

    @Override
    public void addCookie(Cookie cookie) {
        // Never stored (the rules refuse a Set-Cookie), and never anyone's: only its presence matters.
        addHeader("Set-Cookie", cookie.getName() + "=" + cookie.getValue());
    }

    @Override
    public boolean containsHeader(String name) {
        return headers.containsKey(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public void setHeader(String name, String value) {
        if (name == null || committed) {
            return;
        }
        if (name.equalsIgnoreCase("Content-Type")) {
            setContentType(value);
            return;
        }
        headers.remove(name.toLowerCase(Locale.ROOT));
        if (value != null) {
            addHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (name == null || value == null || committed) {
            return;
        }
        if (name.equalsIgnoreCase("Content-Type")) {
            setContentType(value);
            return;
        }
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), lower -> new Field(name, new ArrayList<>()))
                .values().add(value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, HTTP_DATE.format(Instant.ofEpochMilli(date)));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, HTTP_DATE.format(Instant.ofEpochMilli(date)));
    }

    @Override
    public String getHeader(String name) {
        Field field = headers.get(name.toLowerCase(Locale.ROOT));
        return field == null ? null : field.values().get(0);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        Field field = headers.get(name.toLowerCase(Locale.ROOT));
        return field == null ? List.of() : List.copyOf(field.values());
    }

    @Override
    public Collection<String> getHeaderNames() {
        List<String> names = new ArrayList<>(headers.size());
        headers.values().forEach(field -> names.add(field.name()));
        return names;
    }

    @Override
    public void setContentType(String type) {
        if (committed) {
            return;
        }
        contentType = type;
        if (type != null) {
            int charset = type.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (charset >= 0) {
                characterEncoding = type.substring(charset + "charset=".length()).split(";")[0].trim()
                        .replace("\"", "");
            }
        }
    }

    @Override
    public String getContentType() {
        if (contentType == null || characterEncoding == null
                || contentType.toLowerCase(Locale.ROOT).contains("charset=")) {
            return contentType;
        }
        return contentType + ";charset=" + characterEncoding;
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (writer == null && !committed) {
            characterEncoding = charset;
        }
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding == null ? StandardCharsets.ISO_8859_1.name() : characterEncoding;
    }

    @Override
    public void setContentLength(int length) {
        setHeader("Content-Length", Integer.toString(length));
    }

    @Override
    public void setContentLengthLong(long length) {
        setHeader("Content-Length", Long.toString(length));
    }

    @Override
    public void setLocale(Locale locale) {
        // The refresh's response is stored as the servlet set it; a locale alone changes nothing stored.
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
            writer = new PrintWriter(new OutputStreamWriter(new DiscardingOutputStream(this::commit),
                    Charset.forName(getCharacterEncoding())));
        }
        return writer;
    }

    @Override
    public void setBufferSize(int size) {
    }

    @Override
    public int getBufferSize() {
        return 0;
    }

    @Override
    public void flushBuffer() {
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public void reset() {
        refuseWhenCommitted();
        headers.clear();
        status = 200;
        contentType = null;
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
