package dev.responsecache.servlet;

import dev.responsecache.core.CapturingOutputStream;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntToLongFunction;

/**
 * A bounded copy of the body a servlet writes, in the bytes the client receives. Bytes written to the output stream
 * are copied as they are; characters written to the writer are encoded with the response's charset, exactly as the
 * container encodes them, as long as the charset can encode them: each container writes its own replacement for a
 * character its charset cannot map (Jetty one {@code ?} per UTF-16 unit of an emoji in ISO-8859-1, Tomcat and the JDK
 * one per code point) or for a lone surrogate, so such a body is not stored ({@code onUnmappable}). The copy is
 * started over when the servlet resets the buffer, and is dropped once it grows past the maximum body size, once
 * memory for it runs out, once a write to the client failed, or once the servlet writes through a stream or writer
 * it obtained before a reset ({@link #resets()}). Nothing here ever throws into the servlet's write: the copy is
 * optional.
 *
 * <p>While the response may still be stored, the body is also held back from the client ({@link #holdStream},
 * {@link #holdChars}): it is stored first and {@link #deliver() delivered} after, so that storing (and releasing the
 * requests coalesced behind this one) never waits for a slow client. A body that cannot be kept is sent at once, and
 * the rest streams through.
 */
final class BodyCapture {

    /**
     * Guards the held characters and their delivery. A lock, not a monitor: {@link #deliver()} writes the held body
     * to the client under it, and a virtual request thread blocked in that write (a slow client) while holding a
     * monitor would pin its carrier thread on Java 21 to 23; parked on this lock, or blocked under it, it does not.
     * Reentrant, as the monitor was: {@link #abandon()} and {@link #deliverFilled()} deliver under it.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final ResponseCache cache;
    private final Lookup lookup;
    // Volatile and read once per call: an async timeout abandons the copy on a container thread while the servlet
    // may still be writing on its own; a write then lands in a discarded copy, never in a null.
    private volatile CapturingOutputStream copy;
    private volatile Charset charset;
    private volatile Writer encoder;
    /** The encoder {@link #captured()} closed, and how many bytes the copy held before that close. */
    private Writer endedEncoder;
    private int endedAt;
    private volatile boolean abandoned;
    /** The container's output stream, when the copy holds the body back from it. */
    private volatile OutputStream heldFor;
    /** Characters held back from the container's writer, or null when they go straight through. */
    private StringBuilder heldChars;
    /** The first of the held characters whose bytes were counted ({@link #heldBytes}), and those bytes. */
    private int countedChars;
    private long countedBytes;
    private PrintWriter charsFor;
    /** The servlet closed its writer while characters were held: the container's writer closes once they are sent. */
    private boolean closeCharsWhenReleased;
    /**
     * The servlet flushed its writer while characters were held: the container's writer is flushed when they are sent
     * for a body filled to its declared length ({@link #deliverFilled()}). Tomcat counts a written character as one
     * byte of the declared length until it is flushed, so only the flush commits a response whose multi-byte
     * characters fill it.
     */
    private boolean flushCharsWhenReleased;
    /**
     * The servlet flushed (the response, its stream or its writer) while the body was held: without the cache that
     * committed the response, so the status or header it sets next is ignored ({@code CapturingResponse}).
     */
    private volatile boolean flushedWhileHeld;
    /** The Content-Length the servlet declared, or -1: see {@link #checkFilled()}. */
    private volatile long declared = -1;
    /**
     * Filled with characters the containers count apart: encoded, they reach the declared length, but fewer of them
     * were written with no flush since, which Tomcat counts one by one where Jetty counts their bytes.
     */
    private volatile boolean filledAmbiguously;
    /** The servlet closed its stream or writer: the body is complete, and the container's response committed. */
    private volatile boolean closedByServlet;
    /**
     * A write to the stream, held, that the container commits the response at ({@link ContainerCommits}) before its
     * buffer overflows: without the cache it was sent at once.
     */
    private volatile boolean committedOnWrite;
    /** Set once delivered: nothing obtained later is held (an asynchronous servlet's writer, say). */
    private volatile boolean delivered;
    /** How many times the servlet reset the response: tells a stream or writer obtained before the last reset. */
    private volatile int resets;
    /** Past {@code max-body-size}, how much of the body is still kept and held ({@link #keepUpTo}); 0: no more. */
    private volatile int keptUpTo;

    /** Runs when the writer was given characters its charset cannot encode: the response is not to be stored. */
    private final Runnable onUnmappable;
    /**
     * Runs when the body grew past {@code max-body-size} (no length was declared, or a longer body written), before the
     * write that took it past goes to the container: held until then, none of the body has; streamed (an asynchronous
     * servlet's), what went before may have committed the response. The response is not stored, and its header lines
     * can still say so unless they went out.
     */
    private final Runnable onTooLarge;
    /** Runs when the held body reached its declared length ({@link #checkFilled()}). */
    private final Filled onFilled;
    /** Where the container commits the response the body is held from. */
    private final Commits commits;
    /** Of the held characters, how many Tomcat's writer would have encoded by now ({@link ContainerCommits}). */
    private int encodedChars;

    /** What is done with a body held up to its declared length. */
    interface Filled {
        void filled() throws IOException;
    }

    /** The container's rules ({@link ContainerCommits}) with the buffer of the response the body is held from. */
    interface Commits {
        /** Whether a write of {@code length} bytes to the stream, making the body {@code total} long, commits it. */
        boolean onWrite(int length, long total);

        /** See {@link ContainerCommits#bytesPast}, for a buffer of the response's size. */
        boolean bytesPast(long total);

        /** See {@link ContainerCommits#takesLine}, for a buffer of the response's size. */
        boolean takesLine(int line, long buffered);

        /** See {@link ContainerCommits#textCommits}, for a buffer of the response's size. */
        boolean text(int chars, int encoded, boolean carried, IntToLongFunction bytes);

        /** See {@link ContainerCommits#encodedAfter}. */
        int encodedAfter(int encoded, int written, int length, boolean array);

        /** See {@link ContainerCommits#textWriteCommits}, for a buffer of the response's size. */
        boolean onTextWrite(CharSequence text, int start, int end, boolean first, Charset charset);
    }

    BodyCapture(ResponseCache cache, Lookup lookup, Runnable onUnmappable, Runnable onTooLarge, Filled onFilled,
                Commits commits) {
        this.cache = cache;
        this.lookup = lookup;
        this.onUnmappable = onUnmappable;
        this.onTooLarge = onTooLarge;
        this.onFilled = onFilled;
        this.commits = commits;
        this.copy = cache.capture(OutputStream.nullOutputStream(), lookup, this::givenUp);
    }

    /** The servlet closed its stream or writer. */
    void closeByServlet() {
        closedByServlet = true;
    }

    boolean closedByServlet() {
        return closedByServlet;
    }

    /** From now on characters are encoded with {@code charset}. */
    void encodeWith(Charset charset) {
        this.charset = charset;
        CapturingOutputStream target = copy;
        this.encoder = target == null ? null : strictWriter(target, charset);
    }

    /** Bytes written to the output stream are held back from {@code container} until delivered. */
    void holdStream(OutputStream container) {
        if (!abandoned && !delivered) {
            heldFor = container;
            copy = kept(cache.hold(container, lookup, this::givenUp));
        }
    }

    /**
     * The copy was given up: past the limit, {@link #onTooLarge} is told before the held bytes go out, or before the
     * write that took a streamed body past it reaches the container.
     */
    private void givenUp() {
        CapturingOutputStream target = copy;
        if (target != null && target.overflowed()) {
            onTooLarge.run();
        }
    }

    /**
     * The response is an error a stale entry may still replace: its body is kept and held up to {@code bytes} (the
     * container's buffer, which would hold it uncommitted too) even past {@code max-body-size}, so that the error
     * itself can be given again whole should the stale answer fail to be written. Never stored past
     * {@code max-body-size}.
     */
    void keepUpTo(int bytes) {
        keptUpTo = bytes;
        CapturingOutputStream target = copy;
        if (target != null) {
            target.keepUpTo(bytes);
        }
    }

    private CapturingOutputStream kept(CapturingOutputStream capture) {
        int bytes = keptUpTo;
        if (bytes > 0) {
            capture.keepUpTo(bytes);
        }
        return capture;
    }

    /** Characters written to the writer are held back from {@code container} until delivered. */
    void holdChars(PrintWriter container) {
        lock.lock();
        try {
            if (!abandoned && !delivered) {
                charsFor = container;
                heldChars = new StringBuilder();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The stream the servlet's bytes go through when they are held (it sends them to the container itself), or null
     * when the servlet's bytes go to the container directly and only a copy comes here.
     */
    CapturingOutputStream holder() {
        return heldFor != null && !abandoned ? copy : null;
    }

    /** Whether any of the body is being held back from the client. */
    boolean holding() {
        lock.lock();
        try {
            CapturingOutputStream held = holder();
            return heldChars != null || held != null && held.holding();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The servlet declared its body's length ({@code length}; -1: none, or not one length): once that much of it is
     * held, it is complete ({@link #checkFilled()}).
     */
    void declare(long length) throws IOException {
        declared = length;
        checkFilled();
    }

    /**
     * Runs {@link Filled} when the body held back from the client has reached its declared length: without the cache
     * the container would have been given it all by now, and decided (as it alone does) whether the response is
     * committed, after which it ignores a status or header. Characters are encoded first, as the containers' writers
     * would have. A failure to send drops the copy.
     */
    void checkFilled() throws IOException {
        if (!heldUpTo(declared)) {
            return;
        }
        try {
            onFilled.filled();
        } catch (IOException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /**
     * The servlet wrote {@code length} bytes to the stream, held: whether the container would have committed the
     * response at that write is noted ({@link #committedOnWrite()}).
     */
    void heldWrite(int length) {
        CapturingOutputStream target = copy;
        if (!committedOnWrite && target != null && target.holding() && !delivered
                && commits.onWrite(length, target.size())) {
            committedOnWrite = true;
        }
    }

    /**
     * The servlet printed a line, held: its text of {@code length} bytes, {@code line} with the line end that follows
     * it. The container may take the text into its buffer without a write ({@link Commits#takesLine}); else it is a
     * write ({@link #heldWrite(int)}).
     */
    void heldLine(int length, int line) {
        CapturingOutputStream target = copy;
        if (target != null && commits.takesLine(line, target.size() - length)) {
            return;
        }
        heldWrite(length);
    }

    /** Whether a held write committed the container's response: see {@link #heldWrite(int)}. */
    boolean committedOnWrite() {
        return committedOnWrite && !delivered;
    }

    /** {@link #checkFilled()} from the writer, which reports a failure to send as an error, not an exception. */
    private void checkFilledQuietly() {
        try {
            checkFilled();
        } catch (IOException clientGone) {
            // Dropped with the failed write: the writer's checkError() reports it.
        }
    }

    private boolean heldUpTo(long length) {
        lock.lock();
        try {
            CapturingOutputStream target = copy;
            if (length <= 0 || abandoned || delivered || target == null || !holding()) {
                return false;
            }
            Writer text = encoder;
            if (text != null && heldChars != null) {
                run(text::flush);
            }
            if (copy != target || !target.keeping() || target.size() < length) {
                return false;
            }
            filledAmbiguously = heldChars != null && !flushCharsWhenReleased && heldChars.length() < length;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the body was filled with characters Tomcat and Jetty count apart (see {@link #filledAmbiguously}). */
    boolean filledAmbiguously() {
        return filledAmbiguously;
    }

    /** Holds characters when they are held (and copies them); false when the caller must send them itself. */
    boolean holdChars(char[] chars, int offset, int length) {
        lock.lock();
        try {
            StringBuilder held = heldChars;
            if (held == null) {
                return false;
            }
            encodedChars = commits.encodedAfter(encodedChars, held.length(), length, true);
            int before = held.length();
            held.append(chars, offset, length);
            write(chars, offset, length);
            heldText(held, before);
            afterHeldChars();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #holdChars(char[], int, int)}, for text. */
    boolean holdChars(String text, int offset, int length) {
        lock.lock();
        try {
            StringBuilder held = heldChars;
            if (held == null) {
                return false;
            }
            encodedChars = commits.encodedAfter(encodedChars, held.length(), length, false);
            int before = held.length();
            held.append(text, offset, offset + length);
            write(text, offset, length);
            heldText(held, before);
            afterHeldChars();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The servlet wrote the held characters from {@code before} on: whether the container's writer would have handed
     * its stream a write it sends at once is noted, as for a held write to the stream ({@link #heldWrite(int)}).
     */
    private void heldText(StringBuilder held, int before) {
        Charset encoding = charset;
        if (!committedOnWrite && encoding != null && !delivered
                && commits.onTextWrite(held, before, held.length(), before == 0, encoding)) {
            committedOnWrite = true;
        }
    }

    /**
     * After characters were held and copied: released once the copy is no longer kept (past the limit, which the copy
     * said as it was given up, before the held characters go out), else checked against the declared length.
     */
    private void afterHeldChars() {
        CapturingOutputStream target = copy;
        if (target == null || !target.keeping()) {
            releaseChars();
        } else {
            checkFilledQuietly();
        }
    }

    void write(int b) {
        CapturingOutputStream target = copy;
        if (target != null) {
            run(() -> target.write(b));
        }
    }

    void write(byte[] bytes, int offset, int length) {
        CapturingOutputStream target = copy;
        if (target != null) {
            run(() -> target.write(bytes, offset, length));
        }
    }

    void write(char[] chars, int offset, int length) {
        Writer target = encoder;
        if (target != null) {
            run(() -> target.write(chars, offset, length));
        } else {
            noEncoder();
        }
    }

    void write(String text, int offset, int length) {
        Writer target = encoder;
        if (target != null) {
            run(() -> target.write(text, offset, length));
        } else {
            noEncoder();
        }
    }

    /**
     * Copies characters that stream to the container's writer (none are held), before they reach it: encoded at once
     * (the encoder would keep up to its own buffer's worth), so that a body past the limit is known, and said, while
     * the container may not have sent the header lines yet.
     */
    void writeStreamed(char[] chars, int offset, int length) {
        write(chars, offset, length);
        encodeNow();
    }

    /** As {@link #writeStreamed(char[], int, int)}, for text. */
    void writeStreamed(String text, int offset, int length) {
        write(text, offset, length);
        encodeNow();
    }

    /**
     * The encoder's bytes into the copy. The copy's own flush reaches nothing: an encoder only ever writes to a copy
     * of the writer's characters, which the container's writer sends itself.
     */
    private void encodeNow() {
        Writer target = encoder;
        CapturingOutputStream kept = copy;
        if (target != null && kept != null && kept.keeping()) {
            run(target::flush);
        }
    }

    /**
     * Characters came with no charset to copy them in (the writer's was discarded by a reset): the client got them,
     * the copy cannot have them, so it is dropped rather than stored without them.
     */
    private void noEncoder() {
        if (!abandoned && copy != null) {
            abandon();
        }
    }

    /**
     * How many times the servlet reset the response. A stream or writer obtained before a reset still writes to the
     * client (both containers keep it working), but with the charset and hold it had: what it writes after the reset
     * is not copied exactly, so the copy is dropped ({@link #abandonIfResetSince}).
     */
    int resets() {
        return resets;
    }

    /** Drops the copy when the servlet reset the response since {@code obtainedAt} (a {@link #resets()}); true then. */
    boolean abandonIfResetSince(int obtainedAt) {
        if (resets == obtainedAt) {
            return false;
        }
        if (!abandoned) {
            abandon();
        }
        return true;
    }

    /**
     * The buffer was discarded: so is the copy, and whatever was held back, with the flush or the write that would
     * have committed it. The container refuses a reset once it committed, so this comes only while it has not: for a
     * 5xx held for stale-if-error ({@code CapturingResponse}), whose held flush or write the client never got; kept,
     * they counted the response as committed with nothing in its buffer, and the first header set after a recovery
     * committed it without that header.
     */
    void restart() {
        lock.lock();
        try {
            if (abandoned) {
                return;
            }
            if (heldChars != null) {
                heldChars.setLength(0);
            }
            flushedWhileHeld = false;
            flushCharsWhenReleased = false;
            committedOnWrite = false;
            countedChars = 0;
            countedBytes = 0;
            encodedChars = 0;
            run(() -> {
                OutputStream container = heldFor;
                CapturingOutputStream old = copy;
                if (container == null) {
                    copy = kept(cache.capture(OutputStream.nullOutputStream(), lookup, this::givenUp));
                } else {
                    copy = kept(old != null && old.holding() ? cache.hold(container, lookup, this::givenUp)
                            : cache.capture(container, lookup, this::givenUp));
                }
                encoder = charset == null ? null : strictWriter(copy, charset);
            });
        } finally {
            lock.unlock();
        }
    }

    /**
     * The servlet reset the response: the body is discarded with how it was written, since after a reset it may be
     * written with the writer where it was written with the stream, or the other way round. The stream or writer it
     * obtains next is held afresh; kept, the old one's held stream would deliver the characters' copy to the client
     * too.
     */
    void reset() {
        lock.lock();
        try {
            resets++;
            if (abandoned) {
                return;
            }
            heldChars = null;
            countedChars = 0;
            countedBytes = 0;
            encodedChars = 0;
            charsFor = null;
            closeCharsWhenReleased = false;
            flushCharsWhenReleased = false;
            flushedWhileHeld = false;
            committedOnWrite = false;
            declared = -1;
            closedByServlet = false;
            heldFor = null;
            charset = null;
            encoder = null;
            // The status goes with the reset: an error set again keeps its body again.
            keptUpTo = 0;
            copy = cache.capture(OutputStream.nullOutputStream(), lookup, this::givenUp);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A forward cleared the body and forgot how it was written ({@link CapturingResponse#forwarding()}): as a reset,
     * but the declared length stays, since the forward keeps the headers.
     */
    void forwarded() {
        lock.lock();
        try {
            long length = declared;
            int kept = keptUpTo;
            reset();
            declared = length;
            keepUpTo(kept);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends what is held back to the client, after the response was stored (or for an asynchronous response, whose
     * completion cannot wait); from then on the body goes straight through, still copied.
     */
    void deliver() throws IOException {
        lock.lock();
        try {
            delivered = true;
            releaseChars();
            CapturingOutputStream held = holder();
            if (held != null) {
                held.deliver();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #deliver()}, for a body filled to its declared length: a flush of the writer the servlet made while
     * its characters were held is made now, as it was without the cache. Only here: a held 5xx that stale-if-error
     * may replace must not be committed by a flush it deferred.
     */
    void deliverFilled() throws IOException {
        lock.lock();
        try {
            PrintWriter flushed = heldChars != null && flushCharsWhenReleased ? charsFor : null;
            deliver();
            if (flushed != null) {
                flushed.flush();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Nothing of this body is ever stored, and requests coalesced on its key are released; what was held back goes
     * to the client. Also called when a write to the client failed: whatever the servlet does next (catch the error,
     * stop on {@code checkError()}), the client did not get the whole body.
     */
    void abandon() {
        lock.lock();
        try {
            try {
                deliver();
            } catch (IOException clientGone) {
                // The client is gone: nothing held matters any more.
            }
            abandoned = true;
            copy = null;
            encoder = null;
        } finally {
            lock.unlock();
        }
        cache.release(lookup);
    }

    /** The complete body, or null when it was abandoned or grew past the maximum size. */
    byte[] captured() {
        CapturingOutputStream target = copy;
        Writer text = encoder;
        if (abandoned || target == null) {
            return null;
        }
        int encoded = -1;
        if (text != null) {
            if (text != endedEncoder) {
                run(text::flush);
                endedAt = target.size();
                // Closed, not flushed: a high surrogate left at the end of the body is lone, and what the client got
                // for it is the container's guess too. Closing the copy's null stream does nothing.
                run(text::close);
                endedEncoder = text;
            }
            if (abandoned) {
                return null;
            }
            encoded = endedAt;
        }
        byte[] bytes = target.captured();
        if (bytes == null || encoded < 0 || bytes.length == encoded) {
            return bytes;
        }
        // Past a close that found no lone surrogate, only the encoder's return to its initial state (ISO-2022-JP's
        // ESC ( B after kanji): neither container ends its writer's encoder so, and the client never got those bytes.
        try {
            return Arrays.copyOf(bytes, encoded);
        } catch (OutOfMemoryError e) {
            abandon();
            return null;
        }
    }

    /** The servlet flushed while the body was held (see {@link #flushedWhileHeld}); the flush is deferred. */
    void flushedWhileHeld() {
        flushedWhileHeld = true;
    }

    /**
     * Whether content is held back that the container would have been given by now: it counts it as written (and
     * refuses a new buffer size then) until the buffer is reset.
     */
    boolean holdsContent() {
        lock.lock();
        try {
            if (abandoned || delivered || !holding()) {
                return false;
            }
            if (heldChars != null) {
                return heldChars.length() > 0;
            }
            CapturingOutputStream target = copy;
            return target != null && target.size() > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether more of the body than the container's buffer ({@code bufferSize}; 0: unknown; Jetty's holds its pool's
     * rounding of it) is held: the container alone would have committed the response by then. Held text commits where
     * the container's writer would have ({@code commits}: Jetty counts its bytes, Tomcat the bytes of the characters
     * its writer encoded).
     */
    boolean heldPast(int bufferSize) {
        lock.lock();
        try {
            if (bufferSize <= 0 || abandoned || delivered || !holding()) {
                return false;
            }
            if (heldChars != null) {
                int encoded = encodedChars;
                boolean carried = encoded > 0 && Character.isHighSurrogate(heldChars.charAt(encoded - 1));
                return commits.text(heldChars.length(), encoded, carried, this::heldBytes);
            }
            CapturingOutputStream target = copy;
            return target != null && target.size() > bufferSize && commits.bytesPast(target.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many bytes the first {@code chars} held characters encode to: all of them are in the copy; fewer (Tomcat's
     * writer encodes its characters a buffer at a time) are encoded here, from where the last count ended. A high
     * surrogate they end with is not counted: its pair may follow, and an encoder (the copy's, Tomcat's) carries it
     * until the low one comes, rather than encode it alone.
     */
    private long heldBytes(int chars) {
        CapturingOutputStream target = copy;
        Writer text = encoder;
        Charset encoding = charset;
        if (chars == heldChars.length() && text != null && target != null) {
            run(text::flush);
            return target.size();
        }
        if (encoding == null) {
            return chars;
        }
        if (chars < countedChars) {
            countedChars = 0;
            countedBytes = 0;
        }
        int end = Character.isHighSurrogate(heldChars.charAt(chars - 1)) ? chars - 1 : chars;
        if (end > countedChars) {
            countedBytes += encoding.encode(CharBuffer.wrap(heldChars, countedChars, end)).remaining();
            countedChars = end;
        }
        return countedBytes;
    }

    /** Whether a flush the servlet made was deferred because the body was held: see {@link #flushedWhileHeld}. */
    boolean flushDeferred() {
        return flushedWhileHeld && !delivered;
    }

    /**
     * The servlet flushes its writer: true when characters are held, whose flush {@link #deliverFilled()} may make
     * later; false when the caller flushes it now.
     */
    boolean flushCharsLater() {
        lock.lock();
        try {
            if (heldChars == null) {
                return false;
            }
            flushCharsWhenReleased = true;
            flushedWhileHeld = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The servlet closes its writer: true when characters are held, and the container's writer is then closed once
     * they are sent (closing it now would end the response without them); false when the caller closes it now.
     */
    boolean closeCharsLater() {
        lock.lock();
        try {
            if (heldChars == null) {
                return false;
            }
            closeCharsWhenReleased = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void releaseChars() {
        StringBuilder held = heldChars;
        if (held != null) {
            heldChars = null;
            charsFor.append(held);
            if (closeCharsWhenReleased) {
                charsFor.close();
            }
        }
    }

    /**
     * The copy is written to memory only: any failure here (no memory left for an encoder
     * buffer, a bug) gives up the copy and never reaches the servlet's write.
     */
    private void run(IoAction action) {
        try {
            action.run();
        } catch (CharacterCodingException unmappable) {
            onUnmappable.run();
            abandon();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            abandon();
        }
    }

    /** Encodes as the charset's own encoder does, and reports what it cannot encode instead of guessing a stand-in. */
    private static Writer strictWriter(OutputStream target, Charset charset) {
        return new OutputStreamWriter(target, charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
