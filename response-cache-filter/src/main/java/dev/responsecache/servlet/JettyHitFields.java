package dev.responsecache.servlet;

import dev.responsecache.spi.Header;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.ee10.servlet.ServletApiResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Jetty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>
 * On HTTP/1 a line goes in pre-encoded ({@link PreEncodedHttpField}): Jetty's generator copies its bytes instead of
 * writing its name and value a character at a time, and writes the same bytes, the line being one it would write as
 * it is (no control character but a tab, nor one past ISO-8859-1, to replace; no colon in the name). Never on
 * HTTP/2 or HTTP/3, whose encoders write a pre-encoded field as its literal instead of indexing it. The
 * {@code Content-Length} field of a length is reused as a line's is: Jetty's generator writes its own line from the
 * value.
 */
final class JettyHitFields {

    /** A field per recently replayed line, by the line's hash: the lines an entry shares with others, and its own. */
    private static final int SLOTS = 1024;
    private static final Line[] LINES = new Line[SLOTS];

    /** The {@code Content-Length} fields of recent lengths, by length. */
    private static final HttpField[] LENGTHS = new HttpField[SLOTS];

    /**
     * Jetty's field wrappers on a response, which watch what is added, replaced and removed and pass every read
     * through: ee10's servlet response's (its servlet-level content type) and the channel's (nothing added once
     * committed).
     */
    private static final Class<?> SERVLET_FIELDS = jettyClass(
            "org.eclipse.jetty.ee10.servlet.ServletContextResponse$HttpFieldsWrapper");
    private static final Class<?> CHANNEL_FIELDS = jettyClass("org.eclipse.jetty.server.internal.ResponseHttpFields");

    /**
     * The last hit's {@code Vary} line, which {@code SelectionVary} gives as the same string for the same names: its
     * field is found without building the line's {@link Header} and looking it up.
     */
    private static Line lastVary;

    /**
     * Immutable, so a slot read by another thread without a lock sees a whole pair or the one before it. {@code http1}
     * is the field pre-encoded, or the field itself when it cannot be; {@code vary} whether the line is a
     * {@code Vary}, which a hit with a {@code Vary} of its own leaves out.
     */
    private record Line(Header header, HttpField field, HttpField http1, boolean vary) {
    }

    private JettyHitFields() {
    }

    /**
     * Whether this is the release whose field handling this class follows (12.1), every type it uses linked: a
     * module that cannot read one of Jetty's fails here, once, rather than on a hit.
     */
    static boolean supported() {
        return Jetty.VERSION.startsWith("12.1.") && ServletApiResponse.class.getName() != null
                && HttpFields.CONTENT_LENGTH_0 != null && HttpHeader.VARY != null
                && PreEncodedHttpField.class.getName() != null && HttpVersion.HTTP_1_1 != null
                && Response.class.getName() != null && ServletApiRequest.class.getName() != null
                && RequestHeaders.INDEXED != null;
    }

    /** See {@code JettyResponses.appended}. */
    static boolean append(HttpServletResponse response, String vary, int varyAt, List<Header> headers,
                          long contentLength) {
        Response own = ((ServletApiResponse) response).getResponse();
        HttpFields.Mutable fields = own.getHeaders();
        HttpVersion version = own.getRequest().getConnectionMetaData().getHttpVersion();
        boolean http1 = version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0;
        HttpField[] lines = new HttpField[headers.size() + 1];
        int count = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (i == varyAt && vary != null) {
                // What setHeader("Vary", vary) builds.
                Line line = varyLine(vary);
                lines[count++] = http1 ? line.http1() : line.field();
            }
            Line line = line(headers.get(i));
            if (vary == null || !line.vary()) {
                lines[count++] = http1 ? line.http1() : line.field();
            }
        }
        // setHeader replaces a field already there in place, and the servlet filter may merge it with the stored
        // one: either is left to the servlet API.
        HttpFields read = readable(fields);
        for (int f = 0, size = read.size(); f < size; f++) {
            HttpField present = read.getField(f);
            if (present.getHeader() == HttpHeader.CONTENT_LENGTH) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (sameName(present, lines[i])) {
                    return false;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            fields.add(lines[i]);
        }
        if (contentLength >= 0) {
            // What setContentLengthLong puts; the wrapper tells the output the length, as setContentLengthLong does.
            fields.add(contentLength == 0 ? HttpFields.CONTENT_LENGTH_0 : lengthField(contentLength));
        }
        return true;
    }

    /**
     * The fields under Jetty's own field wrappers (the servlet response's, the channel's), to be read, not changed:
     * each wrapper walks its fields with an iterator of its own around the one beneath, and the innermost is an array
     * read by index. Jetty's wrappers watch what is added, replaced and removed (which {@link #append} does through the
     * outermost) and pass every read through; a wrapper of another's may read its own way, and is read as it is.
     */
    private static HttpFields readable(HttpFields.Mutable fields) {
        HttpFields.Mutable read = fields;
        while (read instanceof HttpFields.Mutable.Wrapper wrapper
                && (wrapper.getClass() == SERVLET_FIELDS || wrapper.getClass() == CHANNEL_FIELDS)) {
            read = wrapper.getWrapped();
        }
        return read;
    }

    /** One of Jetty's classes by name, or null (another release names it otherwise: its wrapper is read as it is). */
    private static Class<?> jettyClass(String name) {
        try {
            return Class.forName(name, false, JettyHitFields.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError otherRelease) {
            return null;
        }
    }

    /**
     * {@code present.isSameName(line)}, the test setHeader's replacement uses (the same known header, or the names
     * equal without case), with the names' lengths compared before a call: a hit's lines and the fields there before
     * it (Jetty's {@code Server} and {@code Date}) nearly never have names of one length.
     */
    private static boolean sameName(HttpField present, HttpField line) {
        HttpHeader header = present.getHeader();
        if (header != null && header == line.getHeader()) {
            return true;
        }
        String name = present.getName();
        return name.length() == line.getName().length() && name.equalsIgnoreCase(line.getName());
    }

    /** The field setContentLengthLong(length) builds: one built for that length before, when still held. */
    private static HttpField lengthField(long length) {
        int slot = (int) length & (SLOTS - 1);
        HttpField field = LENGTHS[slot];
        if (field == null || field.getLongValue() != length) {
            field = new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, length);
            LENGTHS[slot] = field;
        }
        return field;
    }

    /** The line {@code Vary: vary}: the last hit's when it had the same value. */
    private static Line varyLine(String vary) {
        Line last = lastVary;
        if (last != null && (last.header().value() == vary || last.header().value().equals(vary))) {
            return last;
        }
        last = line(new Header("Vary", vary));
        lastVary = last;
        return last;
    }

    /** The field setHeader(name, value) builds for this line: one built for an equal line before, when still held. */
    private static Line line(Header header) {
        // The names' and values' hashes, which their strings keep: the record's hashCode combines them through a
        // method handle on every call.
        int slot = (31 * header.name().hashCode() + header.value().hashCode()) & (SLOTS - 1);
        Line line = LINES[slot];
        if (line != null && (line.header() == header || sameLine(line.header(), header))) {
            return line;
        }
        HttpField field = new HttpField(header.name(), header.value());
        line = new Line(header, field, preEncodable(field) ? preEncoded(field) : field, header.is("Vary"));
        LINES[slot] = line;
        return line;
    }

    /**
     * {@code held.equals(header)}, compared by their strings: equal lines of two entries (the same body's
     * {@code ETag}, the same {@code Content-Type}) are two {@link Header}s, and the record's {@code equals} goes
     * through a method handle on every hit of the entry whose line is not the one held.
     */
    private static boolean sameLine(Header held, Header header) {
        return held.name().equals(header.name()) && held.value().equals(header.value());
    }

    /**
     * {@code field} pre-encoded, or {@code field} itself when one of Jetty's encoders fails on it: a pre-encoded field
     * is encoded for every protocol Jetty has an encoder for, whatever the request's, and Jetty's HPACK pre-encoder
     * sizes its buffer by the characters, too short for the Huffman codes of many letters past ASCII (obs-text). A
     * line the generator writes well is never the reason a hit fails; the line is kept as it is, so it is tried once.
     */
    private static HttpField preEncoded(HttpField field) {
        try {
            return new PreEncodedHttpField(field.getHeader(), field.getName(), field.getValue());
        } catch (RuntimeException encoderFailed) {
            return field;
        }
    }

    /**
     * Whether Jetty's HTTP/1 generator writes this field's name and value as they are: no character it would replace
     * (a control character but a tab, CR and LF among them, or one past ISO-8859-1; a colon in a name it does not
     * know), which a pre-encoded field would write as is; and not a field the generator writes its own way
     * ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}).
     */
    private static boolean preEncodable(HttpField field) {
        HttpHeader known = field.getHeader();
        if (known == HttpHeader.CONTENT_LENGTH || known == HttpHeader.TRANSFER_ENCODING
                || known == HttpHeader.CONNECTION) {
            return false;
        }
        return (known != null || writtenAsIs(field.getName(), true)) && writtenAsIs(field.getValue(), false);
    }

    private static boolean writtenAsIs(String text, boolean name) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // As HttpGenerator's putSanitisedName and putSanitisedValue test: a space or a dot goes out instead.
            if (c > 0xff || c < 0x20 && c != '\t' || name && c == ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * The header lines of Jetty 12.1 ee10's own request ({@code ServletApiRequest}, unwrapped), read for a lookup in
     * one pass instead of one walk per name: most names a lookup asks about (Authorization, Cookie, If-None-Match,
     * Range, Content-Length...) are absent, and each {@code getHeader} walks every field (twice for a present one,
     * with {@code getHeaders}). The pass notes which of the names Jetty knows are there and keeps the fields whose
     * name it does not know; a name then reads as absent without a walk when neither shows it, and is otherwise read
     * by one walk with the test {@code getHeader} and {@code getHeaders} use ({@link HttpField#is}), so that every
     * value, repeated line, case and comma reads as through the servlet API. A field Jetty parsed under a name it
     * knows carries that name's {@link HttpHeader}, and no other known name matches it.
     */
    static final class RequestHeaders {

        /**
         * The names asked about: the lookup's constants, the policy's and the stored entries' {@code Vary} names, a
         * few dozen. Bounded all the same: past it, a name is looked up in Jetty's table on every read.
         */
        private static final Map<String, Name> NAMES = new ConcurrentHashMap<>();
        private static final int MAX_NAMES = 1024;
        /**
         * The names last asked about, by their hash (two slots each), found by identity: the lookup asks with the same
         * string constants on every hit, and a slot read and a comparison cost less than a look-up in {@link #NAMES}.
         * Immutable values, so a slot read without a lock sees a whole one.
         */
        private static final Name[] RECENT = new Name[256];

        /**
         * The class of Jetty's parsed request fields, whose {@code getField(i)} reads its array: walked by index, no
         * iterator is made per walk. Any other fields are copied once into {@link #copied}.
         */
        private static final Class<?> INDEXED = HttpFields.build().add(HttpHeader.HOST, "h").asImmutable().getClass();

        private final HttpFields fields;
        private final HttpField[] copied;
        private final int size;
        private final long knownLow;
        private final long knownHigh;
        private final HttpField[] unknown;
        private final int unknownCount;

        /**
         * {@code low} and {@code high} the bit of the name's {@link HttpHeader} among {@link #knownLow} and
         * {@link #knownHigh}, none when Jetty knows no such name; {@code walk} when the name may match a known field
         * without being one of Jetty's names (not ASCII): always walked.
         */
        private record Name(String name, long low, long high, boolean walk) {
        }

        /** The {@link Name}s of a list of names in one: the union of their bits, walked if any one is. */
        private record Names(List<String> names, long low, long high, boolean walk) {

            static Names of(List<String> names) {
                long low = 0;
                long high = 0;
                boolean walk = false;
                for (String name : names) {
                    Name known = name(name);
                    low |= known.low();
                    high |= known.high();
                    walk |= known.walk();
                }
                return new Names(names, low, high, walk);
            }
        }

        /** The list {@link #mayHaveAnyOf} was asked about last: a lookup asks about one and the same constant. */
        private static volatile Names lastGroup;

        private RequestHeaders(HttpFields fields) {
            this.fields = fields;
            this.copied = fields.getClass() == INDEXED ? null : fields.stream().toArray(HttpField[]::new);
            this.size = copied == null ? fields.size() : copied.length;
            long low = 0;
            long high = 0;
            HttpField[] others = null;
            int count = 0;
            for (int i = 0; i < size; i++) {
                HttpField field = at(i);
                if (field == null) {
                    continue;
                }
                HttpHeader header = field.getHeader();
                if (header == null) {
                    if (others == null) {
                        others = new HttpField[4];
                    } else if (count == others.length) {
                        others = Arrays.copyOf(others, count * 2);
                    }
                    others[count++] = field;
                } else if (header.ordinal() < 64) {
                    low |= 1L << header.ordinal();
                } else {
                    high |= 1L << (header.ordinal() - 64);
                }
            }
            this.knownLow = low;
            this.knownHigh = high;
            this.unknown = others;
            this.unknownCount = count;
        }

        private HttpField at(int index) {
            return copied == null ? fields.getField(index) : copied[index];
        }

        /** The headers of {@code request}, Jetty's own request (see {@code JettyResponses.directRequest}). */
        static RequestHeaders of(HttpServletRequest request) {
            return new RequestHeaders(((ServletApiRequest) request).getFields());
        }

        /** What {@code ServletRequestView.joined(request, name)} reads: every line's value joined with commas. */
        String joined(String name) {
            if (!mayHave(name)) {
                return null;
            }
            String first = null;
            StringBuilder joined = null;
            boolean matched = false;
            for (int i = 0; i < size; i++) {
                HttpField field = at(i);
                if (field == null || !field.is(name)) {
                    continue;
                }
                String value = field.getValue();
                if (!matched) {
                    matched = true;
                    if (value == null) {
                        // getHeader gives the first line's value: null, and so is the header.
                        return null;
                    }
                    first = value;
                } else if (value != null) {
                    if (joined == null) {
                        joined = new StringBuilder(first);
                    }
                    joined.append(',').append(value);
                }
            }
            return joined != null ? joined.toString() : first;
        }

        /** What {@code getHeaders(name)} enumerates: the value of every line of that name, in order. */
        List<String> lines(String name) {
            if (!mayHave(name)) {
                return List.of();
            }
            String first = null;
            List<String> lines = null;
            for (int i = 0; i < size; i++) {
                HttpField field = at(i);
                if (field == null || !field.is(name) || field.getValue() == null) {
                    continue;
                }
                if (first == null) {
                    first = field.getValue();
                } else {
                    if (lines == null) {
                        lines = new ArrayList<>(2);
                        lines.add(first);
                    }
                    lines.add(field.getValue());
                }
            }
            return lines != null ? lines : first != null ? List.of(first) : List.of();
        }

        /**
         * False when no field has any of {@code names}, as {@link #mayHave} tells of each: the names' bits of Jetty's
         * known headers, for the list asked about last, tested at once.
         */
        boolean mayHaveAnyOf(List<String> names) {
            Names group = lastGroup;
            if (group == null || group.names() != names) {
                group = Names.of(names);
                lastGroup = group;
            }
            if (group.walk() || (knownLow & group.low()) != 0 || (knownHigh & group.high()) != 0) {
                return true;
            }
            for (int i = 0; i < unknownCount; i++) {
                for (int n = 0; n < names.size(); n++) {
                    if (unknown[i].is(names.get(n))) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** False when no field can be named {@code name}; true when one may be, to be found by a walk. */
        private boolean mayHave(String name) {
            Name known = name(name);
            if (known.walk() || (knownLow & known.low()) != 0 || (knownHigh & known.high()) != 0) {
                return true;
            }
            for (int i = 0; i < unknownCount; i++) {
                if (unknown[i].is(name)) {
                    return true;
                }
            }
            return false;
        }

        private static Name name(String name) {
            // Two slots per hash: two names a lookup asks on every hit may share one ("if" and "Range" do), and with
            // one slot each would push the other out, sending both to the map on every hit.
            int slot = name.hashCode() & (RECENT.length - 2);
            Name known = RECENT[slot];
            if (known != null && known.name() == name) {
                return known;
            }
            Name second = RECENT[slot + 1];
            if (second != null && second.name() == name) {
                return second;
            }
            known = NAMES.get(name);
            if (known == null) {
                HttpHeader header = HttpHeader.CACHE.get(name);
                int ordinal = header == null ? -1 : header.ordinal();
                known = new Name(name, ordinal >= 0 && ordinal < 64 ? 1L << ordinal : 0,
                        ordinal >= 64 ? 1L << (ordinal - 64) : 0, header == null && !ascii(name));
                if (NAMES.size() < MAX_NAMES) {
                    NAMES.put(name, known);
                }
            }
            if (known.name() == name) {
                RECENT[RECENT[slot] == null || second != null ? slot : slot + 1] = known;
            }
            return known;
        }

        private static boolean ascii(String name) {
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) > 0x7f) {
                    return false;
                }
            }
            return true;
        }
    }
}
