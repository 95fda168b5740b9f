package dev.responsecache.servlet;

import jakarta.servlet.ServletRequest;

import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.IntToLongFunction;

/**
 * Where the container commits a response on its own while the servlet writes, so that the capture, which holds the
 * body back, counts it as committed where the container alone would have been ({@link CapturingResponse}). Each
 * container buffers differently:
 * <ul>
 * <li>Jetty 12's {@code HttpOutput} sends at once a single write longer than its output aggregation size (8 KiB by
 * default, the buffer size once {@code setBufferSize} was called), and a write that fills its buffer: a 10 KB write
 * into its empty 32 KB buffer commits the response, and so does a body of exactly the buffer's size. The buffer is
 * the one its pool hands out for the buffer size, rounded up to the pool's bucket ({@link JettyOutput#capacity}:
 * {@code setBufferSize(10000)} holds 12,288 bytes); only the first write, made before there is a buffer, is measured
 * against the size set (a first write of 10,000 bytes commits). Its writer encodes as it goes, so text commits when
 * its bytes fill the buffer (16,384 two-byte characters of 32 KB). It hands the stream the bytes of up to 1,024
 * characters per write, which commit the response where the stream sends them at once, as any write
 * ({@link #textWriteCommits}): after a small {@code setBufferSize}, a print as long as the buffer.</li>
 * <li>Tomcat keeps any write its byte buffer can hold, and commits a body longer than it; its buffer is the size its
 * {@code getBufferSize} reports (a {@code setBufferSize} grows it to the size asked, a smaller one keeps it). Its
 * writer holds
 * {@value #TOMCAT_CHAR_BUFFER} characters before it encodes them into that buffer, and again each time it is full
 * and more come (a long character array whole), so text commits when the bytes of the characters it encoded outgrow
 * the buffer: with 8 KB, at the 16,385th ASCII character or the 8,193rd two-byte one. A surrogate pair split by
 * its 8,192 characters has its high half carried to the next encoding, and while it carries one Tomcat sends a buffer
 * within {@value #CARRIED_PAIR} bytes of full (8,191 ASCII characters and an emoji commit 8 KB).</li>
 * <li>Any other container is taken to commit a body longer than its buffer, text when its characters alone are
 * (their bytes are never fewer).</li>
 * </ul>
 */
final class ContainerCommits {

    /**
     * The characters Tomcat's writer holds before encoding them: its {@code OutputBuffer}'s char buffer. Tomcat 10.1
     * allocates it once per connector response ({@code Connector.createResponse}), of the protocol handler's
     * {@code getDesiredBufferSize()} or, when that is -1 as on every HTTP/1.1 connector (and the HTTP/2 streams
     * upgraded from one), of {@code OutputBuffer.DEFAULT_BUFFER_SIZE}, 8,192; nothing a web application calls
     * changes it ({@code setBufferSize} only enlarges the byte buffer, and a recycle keeps the char buffer). An AJP
     * connector is the exception: its char buffer is its packet size less the 8 bytes of a packet's head (8,184 by
     * default), which no public API shows a web application; there this count is 8 characters too many per encoding,
     * while its byte buffer, of the same size, is read from {@code getBufferSize} as on any connector.
     */
    static final int TOMCAT_CHAR_BUFFER = 8192;

    /** The characters Jetty's writer encodes at a time, and the most bytes of its ISO-8859-1 and UTF-8 writes. */
    static final int JETTY_WRITER_CHARS = 1024;

    /** More than any charset's encoder writes for one character, a byte order mark or shift included. */
    private static final int MOST_BYTES_PER_CHAR = 8;

    /** The bytes of the largest pair: Tomcat sends its buffer when fewer are left while it carries a high surrogate. */
    static final int CARRIED_PAIR = 4;

    /** A body longer than the buffer, text whose characters outnumber it. */
    static final ContainerCommits BUFFER_ONLY = new ContainerCommits(null, false);

    private final JettyOutput jetty;
    private final boolean tomcat;

    private ContainerCommits(JettyOutput jetty, boolean tomcat) {
        this.jetty = jetty;
        this.tomcat = tomcat;
    }

    /** The rules of the container {@code request} came through. */
    static ContainerCommits of(ServletRequest request) {
        JettyOutput jetty = JettyOutput.of(request);
        if (jetty != null) {
            return new ContainerCommits(jetty, false);
        }
        String server = request.getServletContext().getServerInfo();
        return server != null && server.startsWith("Apache Tomcat/") ? new ContainerCommits(null, true) : BUFFER_ONLY;
    }

    /**
     * Whether a write of {@code length} bytes to the stream that makes the body {@code total} bytes long commits a
     * response with a buffer of {@code bufferSize} bytes before the body is longer than the buffer; {@code bufferSet}:
     * the servlet set that size. Jetty's aggregation size becomes the buffer size when it is set (by a filter in front
     * too, which shows as a size other than the connector's). Jetty's first write finds no buffer yet and is sent when
     * it is as long as the buffer size; a later one when it fills the pool's buffer.
     */
    boolean commitsOnWrite(int length, long total, int bufferSize, boolean bufferSet) {
        if (jetty == null || bufferSize <= 0) {
            return false;
        }
        if (length > atOnce(bufferSize, bufferSet)) {
            return true;
        }
        return total == length ? length >= bufferSize : total >= bufferSize && total >= jetty.capacity(bufferSize);
    }

    /** The longest write Jetty's stream aggregates: a longer one it sends at once. */
    private int atOnce(int bufferSize, boolean bufferSet) {
        return bufferSet || bufferSize != jetty.bufferSize() ? bufferSize
                : Math.min(jetty.aggregationSize(), bufferSize);
    }

    /**
     * Whether text written to Jetty's writer, the characters of {@code text} from {@code start} to {@code end}
     * ({@code first}: the body's first), hands its stream a write that the stream sends at once
     * ({@link #commitsOnWrite}): the writer encodes {@value #JETTY_WRITER_CHARS} characters at a time and writes the
     * bytes of each (ISO-8859-1 and UTF-8 at most {@value #JETTY_WRITER_CHARS} bytes at a time, taken here as that
     * many; a single ISO-8859-1 character as one byte, which the stream only buffers). With the default sizes no such
     * piece is long enough; after a small {@code setBufferSize} a print of the buffer's size commits the response
     * (a first print of one character after {@code setBufferSize(1)}).
     */
    boolean textWriteCommits(CharSequence text, int start, int end, boolean first, Charset charset, int bufferSize,
                             boolean bufferSet) {
        if (jetty == null || bufferSize <= 0 || start >= end) {
            return false;
        }
        int atOnce = atOnce(bufferSize, bufferSet);
        // No charset takes more than a few bytes a character: most prints need no encoding to be judged.
        long longest = Math.min(end - start, JETTY_WRITER_CHARS) * (long) MOST_BYTES_PER_CHAR;
        if (longest <= atOnce && (!first || longest < bufferSize)) {
            return false;
        }
        boolean singleBytes = StandardCharsets.ISO_8859_1.equals(charset);
        boolean capped = singleBytes || StandardCharsets.UTF_8.equals(charset);
        if (capped && JETTY_WRITER_CHARS <= atOnce && (!first || JETTY_WRITER_CHARS < bufferSize)) {
            // No piece of these is longer than that: a long print (a page in one) is not encoded a second time.
            return false;
        }
        boolean firstWrite = first;
        for (int from = start; from < end; from += JETTY_WRITER_CHARS) {
            int to = Math.min(end, from + JETTY_WRITER_CHARS);
            if (singleBytes && to - from == 1) {
                firstWrite = false;
                continue;
            }
            int bytes = charset.encode(CharBuffer.wrap(text, from, to)).remaining();
            int piece = capped ? Math.min(bytes, JETTY_WRITER_CHARS) : bytes;
            if (piece > atOnce || firstWrite && piece > 0 && piece >= bufferSize) {
                return true;
            }
            firstWrite = firstWrite && piece == 0;
        }
        return false;
    }

    /**
     * Whether a body of {@code total} bytes overflows the container's buffer for a buffer size of {@code bufferSize}:
     * Jetty's is its pool's buffer for that size ({@link JettyOutput#capacity}), any other container's that size.
     */
    boolean bytesPast(long total, int bufferSize) {
        return total > bufferSize && (jetty == null || total > jetty.capacity(bufferSize));
    }

    /**
     * Whether the container's stream takes a printed line ({@code println(String)}) of {@code line} bytes with its line
     * end into a buffer of {@code bufferSize} bytes holding {@code buffered} bytes without writing the text: Jetty does
     * when the line fits there, whatever its aggregation size, and writes only the line end; its buffer is its pool's
     * once something was written into it.
     */
    boolean takesLine(int line, long buffered, int bufferSize) {
        if (jetty == null || bufferSize <= 0) {
            return false;
        }
        return line <= bufferSize - buffered || buffered > 0 && line <= jetty.capacity(bufferSize) - buffered;
    }

    /**
     * How many of the characters written to the writer Tomcat's writer has encoded (into its byte buffer) once a
     * write of {@code length} more follows {@code written} of which {@code encoded} were; {@code array}: a
     * {@code write(char[])}, which Tomcat encodes whole when it is long (from twice its char buffer, less what that
     * holds), where a {@code String} is taken a char buffer at a time. Tomcat encodes its char buffer when it is full
     * and more characters come.
     */
    int encodedAfter(int encoded, int written, int length, boolean array) {
        int buffered = written - encoded;
        if (!array || length <= TOMCAT_CHAR_BUFFER - buffered) {
            int total = buffered + length;
            return total == 0 ? encoded : encoded + (total - 1) / TOMCAT_CHAR_BUFFER * TOMCAT_CHAR_BUFFER;
        }
        if (length + buffered < 2 * TOMCAT_CHAR_BUFFER) {
            return encoded + TOMCAT_CHAR_BUFFER;
        }
        return written + length;
    }

    /**
     * Whether {@code chars} characters written to the writer, {@code encoded} of them encoded as Tomcat's writer would
     * have ({@link #encodedAfter}), commit a response with a buffer of {@code bufferSize} bytes; the first {@code n}
     * characters encode to {@code bytes.applyAsLong(n)} bytes (without a high surrogate they end with). {@code carried}:
     * the encoded characters end with a high surrogate, which Tomcat's converter carries to the next encoding; Tomcat
     * then sends its buffer once within {@value #CARRIED_PAIR} bytes of full, where the pair might not fit.
     */
    boolean textCommits(int chars, int encoded, boolean carried, IntToLongFunction bytes, int bufferSize) {
        if (bufferSize <= 0 || chars == 0) {
            return false;
        }
        if (jetty != null) {
            long written = bytes.applyAsLong(chars);
            return written >= bufferSize && written >= jetty.capacity(bufferSize);
        }
        if (tomcat) {
            if (encoded == 0) {
                return false;
            }
            long encodedBytes = bytes.applyAsLong(encoded);
            return encodedBytes > bufferSize || carried && encodedBytes > bufferSize - CARRIED_PAIR;
        }
        return chars > bufferSize;
    }
}
