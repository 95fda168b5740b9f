package dev.responsecache.servlet;

import dev.responsecache.spi.Header;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletApiResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Jetty;

import java.util.List;

/**
 * A hit's header lines added to Jetty 12.1 ee10's response fields directly, as the same {@link HttpField}s the servlet
 * API would build, in the same order: {@code setHeader} builds a field per call (finding its name in Jetty's header
 * table) and walks every field with an iterator to replace one of that name: 8% of a hit's samples on Jetty.
 * Here a stored line's field is built once and reused while the line is ({@link #field}), and each is appended
 * after one walk has shown that no field of its name is there yet, which is when {@code setHeader} appends too.
 * The fields are added through the servlet response's own field wrapper, so that its {@code Content-Type} and
 * {@code Content-Length} interception (the servlet-level content type and charset, the output's expected length,
 * nothing added once committed) sees every line as it does for {@code setHeader}. Loaded only through
 * {@link JettyResponses}, on Jetty.
 */
final class JettyHitFields {

    /** A field per recently replayed line, by the line's hash: the lines an entry shares with others, and its own. */
    private static final int SLOTS = 1024;
    private static final Line[] LINES = new Line[SLOTS];

    /** Immutable, so a slot read by another thread without a lock sees a whole pair or the one before it. */
    private record Line(Header header, HttpField field) {
    }

    private JettyHitFields() {
    }

    /**
     * Whether this is the release whose field handling this class follows (12.1), every type it uses linked: a
     * module that cannot read one of Jetty's fails here, once, rather than on a hit.
     */
    static boolean supported() {
        return Jetty.VERSION.startsWith("12.1.") && ServletApiResponse.class.getName() != null
                && HttpFields.CONTENT_LENGTH_0 != null && HttpHeader.VARY != null;
    }

    static boolean append(HttpServletResponse response, String vary, List<Header> headers, long contentLength) {
        HttpFields.Mutable fields = ((ServletApiResponse) response).getResponse().getHeaders();
        HttpField[] lines = new HttpField[headers.size() + 1];
        int count = 0;
        if (vary != null) {
            // What setHeader("Vary", vary) builds.
            lines[count++] = new HttpField(HttpHeader.VARY, "Vary", vary);
        }
        for (int i = 0; i < headers.size(); i++) {
            Header header = headers.get(i);
            if (vary == null || !header.is("Vary")) {
                lines[count++] = field(header);
            }
        }
        // setHeader replaces a field already there in place, and the servlet filter may merge it with the stored
        // one: either is left to the servlet API. isSameName is the test setHeader's replacement uses.
        for (HttpField present : fields) {
            if (present.getHeader() == HttpHeader.CONTENT_LENGTH) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (present.isSameName(lines[i])) {
                    return false;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            fields.add(lines[i]);
        }
        if (contentLength >= 0) {
            // What setContentLengthLong puts; the wrapper tells the output the length, as setContentLengthLong does.
            fields.add(contentLength == 0 ? HttpFields.CONTENT_LENGTH_0
                    : new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, contentLength));
        }
        return true;
    }

    /** The field setHeader(name, value) builds for this line: one built for an equal line before, when still held. */
    private static HttpField field(Header header) {
        int slot = header.hashCode() & (SLOTS - 1);
        Line line = LINES[slot];
        if (line != null && (line.header() == header || line.header().equals(header))) {
            return line.field();
        }
        HttpField field = new HttpField(header.name(), header.value());
        LINES[slot] = new Line(header, field);
        return field;
    }
}
