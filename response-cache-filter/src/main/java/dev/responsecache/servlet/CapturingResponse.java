package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.Header;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.Invalidations;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SelectionVary;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

/**
 * The response of a missed request, as the servlet sees it. Status and headers are left to the container (however
 * the servlet sets them) and read back from it once the response is complete, so what is stored is what the client
 * got; the body is copied as it is written. A response the container completes on its own ({@code sendError}, whose
 * error page is rendered after the filter returns, and {@code sendRedirect}) or that sets a cookie is passed through
 * and never stored. Headers that filters in front of the cache set before it ran ({@link PresetHeaders}) are not
 * stored.
 *
 * <p>While the headers can still change, each change that decides whether the response may be stored (status,
 * {@code Set-Cookie}, {@code Cache-Control}, {@code Vary}, {@code Content-Length}, {@code Content-Type}) updates
 * {@code Cache-Status} with the reason it will not be, so that one look at the response tells why a page is never
 * cached.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

    /** The headers {@link ResponseCache#notStoredReason} reads, besides the status. */
    private static final Set<String> DECIDING_HEADERS = Set.of("set-cookie", "set-cookie2", "cache-control", "vary",
            "content-length", "content-type");
    /** The headers that also decide in the header-driven mode: a validator or a lifetime may lift a refusal. */
    private static final Set<String> LIFETIME_HEADERS = Set.of("etag", "last-modified", "expires", "date", "age");

    private final HttpServletRequest request;
    private final ResponseCache cache;
    private final Lookup lookup;
    private final FaultLog faults;
    private final BodyCapture body;
    /** The lower-case name under which {@link PresetHeaders} holds the {@code Cache-Status} lines set in front. */
    private static final String OUTER_STATUS = "cache-status";
    private final PresetHeaders preset;
    private final AtomicBoolean finished = new AtomicBoolean();
    private TeeOutputStream stream;
    private TeeWriter writer;
    private volatile boolean refused;
    /** The body grew past {@code max-body-size}: not stored, and {@code Cache-Status} says so ({@link #bodyTooLarge}). */
    private volatile boolean tooLarge;
    private volatile boolean sentError;
    /** A 5xx {@code sendError} held back for stale-if-error (0: none), and its message. */
    private volatile int deferredError;
    /** The servlet went asynchronous: the body streams to the container as it is written. */
    private volatile boolean streaming;
    private volatile String deferredMessage;
    /** The not-stored reason {@code Cache-Status} shows now; null: none. */
    private String shownReason;
    /** The Vary field values the servlet set, kept apart from the names the cache adds for downstream caches. */
    private final List<String> applicationVary = new ArrayList<>();
    /**
     * The {@code Cache-Status} field lines the servlet set: the members of caches nearer the origin (an upstream
     * cache's, relayed by a proxy servlet), which the client gets before this cache's member and the entry keeps.
     */
    private final List<String> upstreamStatus = new ArrayList<>();
    /** The tags the servlet set through {@code responsecache.tag-header}, which the client never gets. */
    private final List<String> headerTags = new ArrayList<>();
    /** The locale the servlet set (null: none), whose {@code Content-Language} Tomcat does not list. */
    private Locale locale;
    /** The session id the request came with, to tell a session whose id changed while answering. */
    private final String requestedSessionId;
    /** The Content-Length the servlet declared, or -1. */
    private long declaredLength = -1;
    /** The request the chain runs with (null: the servlet was given no wrapper of ours): see {@link #included()}. */
    private volatile HttpServletRequest dispatched;
    /**
     * Where the container commits the response while the servlet writes ({@link ContainerCommits}): read from the
     * container at the first held write, so that a response never held (a bypass, a HEAD) costs nothing for it.
     */
    private volatile ContainerCommits commits;
    /** The servlet set the buffer size: Jetty sends a single write up to that size only at once then. */
    private volatile boolean bufferSet;
    /**
     * Jetty's response whose stream or writer this one took, watched for a forward that cleared it behind the
     * wrappers (a dispatcher of the {@code ServletContext}): null on another container, or before the body is taken.
     */
    private volatile JettyForwards containerOutput;

    CapturingResponse(HttpServletRequest request, HttpServletResponse response, ResponseCache cache, Lookup lookup,
                      FaultLog faults, PresetHeaders preset) {
        super(response);
        this.request = request;
        // Read before answering: Tomcat's changeSessionId changes the requested id too.
        this.requestedSessionId = request.getRequestedSessionId();
        this.cache = cache;
        this.lookup = lookup;
        this.faults = faults;
        this.preset = preset;
        this.body = new BodyCapture(cache, lookup, () -> refuseShowing("unmappable"), this::bodyTooLarge,
                this::bodyFilled, new ResponseBuffer());
        if (!lookup.mayStore()) {
            refuse();
        }
        markForwarded();
    }

    /**
     * The request this response is passed down the chain with: asked, at each call, whether an included servlet is
     * making it ({@link #included()}). It must be the wrapper the servlet is given (or one below it), not the
     * container's own request: Tomcat inserts its include wrapper below the application's request wrappers.
     */
    void dispatchedWith(HttpServletRequest request) {
        this.dispatched = request;
    }

    /**
     * Whether a servlet included through a {@code RequestDispatcher} is making this call, as the request it runs with
     * says at this moment: Tomcat passes an included servlet the application's own response (this one among its
     * wrappers) and inserts, below them, a wrapper that ignores its status, headers, type, locale, cookies, reset,
     * error page and redirect; the same request wrappers then report {@code INCLUDE}, and only until the include
     * returns. Jetty wraps the outermost response instead, so such calls never come here. Asked of the request, not
     * inferred from the wrappers below this one, which a stale-if-error deadline's response changes.
     */
    private boolean included() {
        HttpServletRequest request = dispatched;
        return request != null && request.getDispatcherType() == DispatcherType.INCLUDE;
    }

    /**
     * An included servlet's call that the container ignores: true when it is one, and it was passed on only when the
     * container's include wrapper is what receives it (a wrapper of a filter in front then sees it, as without the
     * cache).
     */
    private boolean ignoredAsIncluded(Runnable call) {
        if (!included()) {
            return false;
        }
        if (includeWrapperBelow()) {
            call.run();
        }
        return true;
    }

    /** As {@link #ignoredAsIncluded(Runnable)}, for an error page or a redirect. */
    private boolean pageChangeIgnoredAsIncluded(IoCall call) throws IOException {
        if (!included()) {
            return false;
        }
        if (includeWrapperBelow()) {
            call.run();
        }
        return true;
    }

    /**
     * Whether what is below this response reaches the container's include wrapper. The cache's own stand-ins for the
     * container (a refresh's response, an armed deadline's) would act on an included servlet's call, and a deadline's
     * response switched to the container passes it below that wrapper: for those the call stops here.
     */
    private boolean includeWrapperBelow() {
        return !(getResponse() instanceof DeadlineResponse || getResponse() instanceof DetachedResponse);
    }

    private interface IoCall {
        void run() throws IOException;
    }

    /**
     * Refused once the servlet has this response's writer, as every container refuses it: Jetty, which forgets the
     * writer when it forwards, closes the forwarded response by asking for its stream first, and a stream handed out
     * beside the capture's writer then took the body's place in the entry (stored empty).
     */
    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        forwardedBehindTheWrappers();
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called for this response");
        }
        if (stream == null) {
            ServletOutputStream out = super.getOutputStream();
            if (!refused) {
                body.holdStream(out);
            }
            StreamPrint print = getResponse() instanceof DetachedResponse refresh ? refresh.streamPrint()
                    : StreamPrint.of(out);
            stream = new TeeOutputStream(out, body, print, this::getCharacterEncoding);
            watchContainerOutput();
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        forwardedBehindTheWrappers();
        if (writer == null) {
            PrintWriter out = super.getWriter();
            // Once the writer is obtained the charset is fixed: the copy encodes with the one the container uses.
            try {
                body.encodeWith(Charset.forName(getCharacterEncoding()));
            } catch (IllegalArgumentException unsupported) {
                refuse();
            }
            if (!refused) {
                body.holdChars(out);
            }
            writer = new TeeWriter(out, body);
            watchContainerOutput();
        }
        return writer;
    }

    /**
     * Ignored for an included servlet, as the container does: passed on, an armed deadline's response would move the
     * servlet onto the container for it. Refused once content was written or the response committed, as both
     * containers refuse it: the container has not been given the content the cache holds back, nor committed.
     */
    @Override
    public void setBufferSize(int size) {
        if (ignoredAsIncluded(() -> super.setBufferSize(size))) {
            return;
        }
        forwardedBehindTheWrappers();
        if (body.holdsContent() || isCommitted() && !super.isCommitted()) {
            throw new IllegalStateException("setBufferSize() after content was written or the response committed");
        }
        super.setBufferSize(size);
        bufferSet = true;
    }

    /** The container's commit rules ({@link ContainerCommits}) for this response's buffer. */
    private final class ResponseBuffer implements BodyCapture.Commits {
        @Override
        public boolean onWrite(int length, long total) {
            return commits().commitsOnWrite(length, total, bufferSize(), bufferSet);
        }

        @Override
        public boolean bytesPast(long total) {
            return commits().bytesPast(total, bufferSize());
        }

        @Override
        public boolean takesLine(int line, long buffered) {
            return commits().takesLine(line, buffered, bufferSize());
        }

        @Override
        public boolean text(int chars, int encoded, boolean carried, IntToLongFunction bytes) {
            return commits().textCommits(chars, encoded, carried, bytes, bufferSize());
        }

        @Override
        public int encodedAfter(int encoded, int written, int length, boolean array) {
            return commits().encodedAfter(encoded, written, length, array);
        }

        @Override
        public boolean onTextWrite(CharSequence text, int start, int end, boolean first, Charset charset) {
            return commits().textWriteCommits(text, start, end, first, charset, bufferSize(), bufferSet);
        }
    }

    private ContainerCommits commits() {
        ContainerCommits resolved = commits;
        if (resolved == null) {
            resolved = ContainerCommits.of(request);
            commits = resolved;
        }
        return resolved;
    }

    private int bufferSize() {
        return super.getBufferSize();
    }

    /**
     * Deferred while the body is held back: the response is committed when the body is delivered, or before a call
     * the committed container would ignore or refuse ({@link #committedFirst()}).
     */
    @Override
    public void flushBuffer() throws IOException {
        forwardedBehindTheWrappers();
        if (body.holding()) {
            body.flushedWhileHeld();
            return;
        }
        super.flushBuffer();
    }

    @Override
    public void setHeader(String name, String value) {
        if (ignoredAsIncluded(() -> super.setHeader(name, value))) {
            return;
        }
        if (committedFirst()) {
            super.setHeader(name, value);
            return;
        }
        if (dropsLength(name) || statusField(name, value, true)) {
            return;
        }
        declare(name, value, true);
        if (name != null && name.equalsIgnoreCase(cache.tagHeader())) {
            headerTags.clear();
            headerTags.addAll(Invalidations.headerTags(value));
            return;
        }
        if ("Vary".equalsIgnoreCase(name) && !super.isCommitted()) {
            applicationVary.clear();
            addVary(value, true);
        } else {
            super.setHeader(name, value);
        }
        explain(name);
    }

    @Override
    public void addHeader(String name, String value) {
        if (ignoredAsIncluded(() -> super.addHeader(name, value))) {
            return;
        }
        if (committedFirst()) {
            super.addHeader(name, value);
            return;
        }
        if (dropsLength(name) || statusField(name, value, false)) {
            return;
        }
        declare(name, value, false);
        if (name != null && name.equalsIgnoreCase(cache.tagHeader())) {
            headerTags.addAll(Invalidations.headerTags(value));
            return;
        }
        if ("Vary".equalsIgnoreCase(name) && !super.isCommitted()) {
            addVary(value, false);
        } else {
            super.addHeader(name, value);
        }
        explain(name);
    }

    /**
     * Whether {@code name} is one of the cache's status fields, which the servlet's call may not replace: a
     * {@code Cache-Status} the servlet sets or adds (an upstream cache's, which a proxy servlet copies with every
     * other field of the origin's response) goes before this cache's member, in one field line (RFC 9211 2: a cache
     * appends its member and removes no other's); the status header ({@code X-Cache}) the client reads is this
     * cache's, the outermost, and an upstream one is dropped. Not when a cached JAX-RS method behind this filter
     * answers ({@link EarlyRoutes#CACHED_BY_METHOD}): its cache is the one that keeps the response, this filter stores
     * nothing of it, and the two answer as one cache, with the method's fields.
     */
    private boolean statusField(String name, String value, boolean replace) {
        if (name == null || request.getAttribute(EarlyRoutes.CACHED_BY_METHOD) != null) {
            return false;
        }
        if (name.equalsIgnoreCase(Lookup.CACHE_STATUS)) {
            if (replace) {
                upstreamStatus.clear();
            }
            if (value != null) {
                upstreamStatus.add(value);
            }
            if (!headersSent()) {
                showReason(shownReason);
            }
            return true;
        }
        return name.equalsIgnoreCase(cache.settings().statusHeader());
    }

    /** The servlet's Vary merged with the cache's: one rule for a miss and a hit ({@link SelectionVary}). */
    private void addVary(String value, boolean replace) {
        if (value != null) {
            applicationVary.add(value);
        }
        String merged = SelectionVary.merged(lookup, varyLines());
        if (merged != null) {
            super.setHeader("Vary", merged);
        } else if (value != null) {
            // Nothing to add (or Vary: *): the servlet's own call, as it made it.
            if (replace) {
                super.setHeader("Vary", value);
            } else {
                super.addHeader("Vary", value);
            }
        }
    }

    /**
     * The container answers with its error page after the filter returns, and each container renders a different
     * one: never stored, so a hit can never differ from the page the client got.
     */
    @Override
    public void sendError(int status, String message) throws IOException {
        if (pageChangeIgnoredAsIncluded(() -> super.sendError(status, message))) {
            return;
        }
        if (committedFirst()) {
            super.sendError(status, message);
            return;
        }
        sentError = true;
        refuseShowing("error-page");
        if (defersError(status)) {
            deferredError = status;
            deferredMessage = message;
            return;
        }
        super.sendError(status, message);
    }

    @Override
    public void sendError(int status) throws IOException {
        if (pageChangeIgnoredAsIncluded(() -> super.sendError(status))) {
            return;
        }
        if (committedFirst()) {
            super.sendError(status);
            return;
        }
        sentError = true;
        refuseShowing("error-page");
        if (defersError(status)) {
            deferredError = status;
            deferredMessage = null;
            return;
        }
        super.sendError(status);
    }

    /**
     * A 5xx error page that a stale entry may still replace (stale-if-error) is kept from the container until the
     * response ends: then either the stale entry answers or {@link #sendDeferredError()} passes the error on.
     */
    private boolean defersError(int status) {
        return status >= 500 && lookup.hasStaleOnError() && deferredError == 0 && !super.isCommitted();
    }

    /**
     * A deferred error page counts as committed, as after a real {@code sendError}: the servlet writes no more. So
     * does a response whose stream or writer the servlet closed or flushed, as without the cache, though its body is
     * still held.
     */
    @Override
    public boolean isCommitted() {
        return headersSent() || body.closedByServlet() || committedByContainer();
    }

    /**
     * Whether the container alone would have committed the response the body is held from: the servlet flushed it,
     * wrote past its buffer (text, where the container's writer would have), or made a write the container sends at
     * once ({@link ContainerCommits}). A refresh's stand-in, and the response a servlet goes on into after its deadline
     * answered, keep the buffer size of the container's response they stand in for.
     */
    private boolean committedByContainer() {
        return body.flushDeferred() || body.heldPast(super.getBufferSize()) || body.committedOnWrite();
    }

    /**
     * Whether the container's headers can no longer change: {@link #isCommitted()} without the servlet's close, whose
     * held body has not gone out, so that the cache's own {@code Cache-Status} can still say why it is not stored.
     */
    private boolean headersSent() {
        return deferredError != 0 || super.isCommitted();
    }

    /**
     * The servlet closed or flushed its response, stream or writer, or wrote past the buffer: without the cache its
     * response is committed then, and the container ignores a header or status set after it and refuses a
     * {@code sendError}, a redirect or a reset. Before such a call the held body is sent (the container's stream or
     * writer closed, or the response flushed), so that the container answers it as without the cache; true when the
     * call goes to the container alone. Nothing of a closed response's call is stored; a flushed one's body goes on
     * being copied, and is stored as the container sent it. A 5xx that a stale entry may still replace stays held.
     */
    private boolean committedFirst() {
        forwardedBehindTheWrappers();
        boolean flushed = committedByContainer() && !replaceableError();
        if (!flushed && !body.closedByServlet()) {
            return false;
        }
        try {
            body.deliver();
            if (flushed) {
                super.flushBuffer();
            }
        } catch (IOException clientGone) {
            // The copy was dropped with the failed write: nothing is stored.
        }
        return true;
    }

    /** A 5xx that a stale entry may still replace (stale-if-error): not committed by what the cache holds back. */
    private boolean replaceableError() {
        return lookup.hasStaleOnError() && ((HttpServletResponse) getResponse()).getStatus() >= 500;
    }

    /**
     * The servlet wrote as much of its body as its {@code Content-Length} declared: without the cache the container
     * had it all by now, and decided whether that commits the response (Jetty counts the bytes; Tomcat counts a
     * character written to the writer as one until it is flushed), after which it ignores a status or header (a late
     * {@code setStatus(500)}, a header an interceptor adds after the write). So the held body goes to the container
     * now, with the writer's flush if the servlet made one, and the container decides, as without the cache; the
     * copy goes on, and is stored when the servlet returns. A 5xx that a stale entry may still replace stays held. A
     * background refresh's response, which counts nothing, is committed here, and so is the one a servlet goes on
     * into after its stale-if-error deadline answered; filled with characters the containers count apart, it is
     * committed by the writer's flush, and not stored if a status or header is set before one.
     */
    private void bodyFilled() throws IOException {
        HttpServletResponse below = (HttpServletResponse) getResponse();
        if (replaceableError()) {
            return;
        }
        body.deliverFilled();
        // A refresh, or a servlet going on into memory after its deadline answered: nothing counts the bytes there.
        DetachedResponse inMemory = below instanceof DetachedResponse refresh ? refresh
                : below instanceof DeadlineResponse late ? late.inMemory() : null;
        if (inMemory != null) {
            if (body.filledAmbiguously()) {
                inMemory.filledAmbiguously();
            } else {
                inMemory.flushBuffer();
            }
        }
    }

    /**
     * Follows a {@code Content-Length} set by name: the declared length, or -1 when the value is not one length (a
     * second line added, or no number), which no container completes the body at.
     */
    private void declare(String name, String value, boolean replace) {
        if (!"Content-Length".equalsIgnoreCase(name)) {
            return;
        }
        long length;
        if (!replace && declaredLength >= 0 || value == null) {
            length = -1;
        } else {
            try {
                length = Long.parseLong(value.trim());
            } catch (NumberFormatException notALength) {
                length = -1;
            }
        }
        declare(length);
    }

    /**
     * Made before the container is given the length: a body held at that length already was written before it,
     * and the container decides what the length it is then given does to a response that has it all.
     */
    private void declare(long length) {
        declaredLength = length;
        try {
            body.declare(length);
        } catch (IOException clientGone) {
            // The copy was dropped with the failed write: nothing is stored.
        }
    }

    /**
     * An asynchronous servlet's 5xx that a stale entry may still replace gets no {@code Content-Length}: the body
     * streams to the container, which would complete (commit) the response the moment its declared length is
     * written, before the servlet's {@code complete()} lets the cache replace it. A small error body then stays in the
     * container's buffer; a length-less one is framed by the container if it does go out.
     */
    private boolean dropsLength(String name) {
        return streaming && "Content-Length".equalsIgnoreCase(name) && lookup.hasStaleOnError()
                && ((HttpServletResponse) getResponse()).getStatus() >= 500;
    }

    /** The 5xx of a deferred {@code sendError}, or 0. */
    int deferredError() {
        return deferredError;
    }

    /** No stale entry answered: the deferred error page goes to the container after all. */
    void sendDeferredError() throws IOException {
        int status = deferredError;
        if (status == 0) {
            return;
        }
        deferredError = 0;
        if (super.isCommitted()) {
            return;
        }
        if (deferredMessage == null) {
            super.sendError(status);
        } else {
            super.sendError(status, deferredMessage);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        if (pageChangeIgnoredAsIncluded(() -> super.sendRedirect(location))) {
            return;
        }
        if (committedFirst()) {
            super.sendRedirect(location);
            return;
        }
        refuseShowing("redirect");
        super.sendRedirect(location);
    }

    /**
     * Trailer fields go out after the body, and an entry holds none (a hit is framed by {@code Content-Length}): a
     * response with them is never stored, and what was held goes on so that the container sends them as alone.
     */
    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        if (ignoredAsIncluded(() -> super.setTrailerFields(supplier))) {
            return;
        }
        if (committedFirst()) {
            super.setTrailerFields(supplier);
            return;
        }
        if (supplier != null) {
            refuseShowing("trailers");
        }
        super.setTrailerFields(supplier);
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (ignoredAsIncluded(() -> super.addCookie(cookie))) {
            return;
        }
        if (committedFirst()) {
            super.addCookie(cookie);
            return;
        }
        // Some containers keep cookies apart from the headers they list: refuse here rather than rely on seeing it.
        refuseShowing("set-cookie");
        super.addCookie(cookie);
    }

    @Override
    public void setStatus(int status) {
        if (ignoredAsIncluded(() -> super.setStatus(status))) {
            return;
        }
        if (committedFirst()) {
            super.setStatus(status);
            return;
        }
        super.setStatus(status);
        keepsAnErrorAStaleAnswerMayReplace(status);
        explain();
    }

    /**
     * An error a stale entry may replace keeps its body up to the container's buffer, past {@code max-body-size}:
     * should the stale answer fail to be written, the error goes out again as the servlet wrote it, where the cache
     * had let go of it and the reset for the stale answer discarded the rest (the container's page went out instead).
     * Past the buffer the container would have sent it already: no stale answer can replace it then.
     */
    private void keepsAnErrorAStaleAnswerMayReplace(int status) {
        if (status >= 500 && lookup.hasStaleOnError()) {
            body.keepUpTo(Math.max(0, super.getBufferSize()));
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (ignoredAsIncluded(() -> super.setDateHeader(name, date))) {
            return;
        }
        if (committedFirst()) {
            super.setDateHeader(name, date);
            return;
        }
        if (statusField(name, httpDate(date), true)) {
            return;
        }
        super.setDateHeader(name, date);
        explain(name);
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (ignoredAsIncluded(() -> super.addDateHeader(name, date))) {
            return;
        }
        if (committedFirst()) {
            super.addDateHeader(name, date);
            return;
        }
        if (statusField(name, httpDate(date), false)) {
            return;
        }
        super.addDateHeader(name, date);
        explain(name);
    }

    /** A date as the containers write it, for a status field set as a date: the text the client would have got. */
    private static String httpDate(long date) {
        return DetachedResponse.HTTP_DATE.format(Instant.ofEpochMilli(date));
    }

    @Override
    public void setContentType(String type) {
        if (ignoredAsIncluded(() -> super.setContentType(type))) {
            return;
        }
        committedFirst();
        super.setContentType(type);
        // text/event-stream is never stored: its events must stream from the first one, not be held.
        explain();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        committedFirst();
        super.setCharacterEncoding(charset);
    }

    @Override
    public void setLocale(Locale locale) {
        if (ignoredAsIncluded(() -> super.setLocale(locale))) {
            return;
        }
        committedFirst();
        if (!super.isCommitted()) {
            this.locale = locale;
        }
        super.setLocale(locale);
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (ignoredAsIncluded(() -> super.setIntHeader(name, value))) {
            return;
        }
        if (committedFirst()) {
            super.setIntHeader(name, value);
            return;
        }
        if (dropsLength(name) || statusField(name, Integer.toString(value), true)) {
            return;
        }
        declare(name, Integer.toString(value), true);
        super.setIntHeader(name, value);
        explain(name);
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (ignoredAsIncluded(() -> super.addIntHeader(name, value))) {
            return;
        }
        if (committedFirst()) {
            super.addIntHeader(name, value);
            return;
        }
        if (dropsLength(name) || statusField(name, Integer.toString(value), false)) {
            return;
        }
        declare(name, Integer.toString(value), false);
        super.addIntHeader(name, value);
        explain(name);
    }

    @Override
    public void setContentLength(int length) {
        if (ignoredAsIncluded(() -> super.setContentLength(length))) {
            return;
        }
        if (committedFirst()) {
            super.setContentLength(length);
            return;
        }
        if (dropsLength("Content-Length")) {
            return;
        }
        declare(length);
        super.setContentLength(length);
        explain();
    }

    @Override
    public void setContentLengthLong(long length) {
        if (ignoredAsIncluded(() -> super.setContentLengthLong(length))) {
            return;
        }
        if (committedFirst()) {
            super.setContentLengthLong(length);
            return;
        }
        if (dropsLength("Content-Length")) {
            return;
        }
        declare(length);
        super.setContentLengthLong(length);
        explain();
    }

    /** An included servlet's reset is ignored while the response is uncommitted, as the container ignores it. */
    @Override
    public void reset() {
        if (!isCommitted() && ignoredAsIncluded(super::reset)) {
            return;
        }
        committedFirst();
        refuseAfterHeldError("reset()");
        super.reset();
        declaredLength = -1;
        locale = null;
        stream = null;
        writer = null;
        body.reset();
        headerTags.clear();
        upstreamStatus.clear();
        shownReason = null;
        markForwarded();
    }

    @Override
    public void resetBuffer() {
        committedFirst();
        refuseAfterHeldError("resetBuffer()");
        super.resetBuffer();
        body.restart();
        // The tag header is a header, which resetBuffer keeps (a forward's too): its tags stay with the response.
    }

    /**
     * A 5xx {@code sendError} held for stale-if-error counts as committed ({@link #isCommitted()}), as after the
     * container's own: a reset after it is refused as both containers refuse it, rather than passed to the container,
     * which has not committed and would allow it.
     */
    private void refuseAfterHeldError(String call) {
        if (deferredError != 0) {
            throw new IllegalStateException(call + " after sendError(): the response is committed");
        }
    }

    /**
     * A forward through the request's dispatcher is about to run ({@link AsyncAwareRequest}): what was written is
     * cleared, and the stream or writer the servlet had is forgotten with how the body was written, so that the
     * forwarded servlet's {@code getOutputStream} or {@code getWriter} is the container's to allow or refuse. Jetty
     * forgets the writer at a forward and hands the forwarded page its stream; Tomcat keeps the writer and refuses
     * the stream. Refused here, a page forwarded to in bytes (a static file) was a 500 on Jetty. A response the
     * container alone would have committed by now (flushed, written past its buffer) is committed first, so that the
     * container refuses the forward as it does alone: Jetty asks only its own response, which the held body had left
     * uncommitted, and the forwarded page was appended to it.
     */
    void forwarding() {
        if (isCommitted()) {
            committedFirst();
            return;
        }
        resetBuffer();
        stream = null;
        writer = null;
        body.forwarded();
    }

    /**
     * Jetty's dispatcher is about to forward this response's request ({@link JettyForwards#askedByAForward()}),
     * through the request's dispatcher or one of the {@code ServletContext}, which the cache cannot wrap: the capture
     * is cleared first, as Jetty is about to clear its own response ({@link #forwarding()}), and a response the
     * container alone would have committed is committed, so that Jetty refuses the forward as it does alone. Where
     * the client was answered already (the stale answer of an armed deadline that passed), Jetty resets that
     * answer, which refuses: the response is not stored, however the servlet goes on from the refusal.
     */
    void jettyForwarding() {
        if (getResponse() instanceof DetachedResponse
                || getResponse() instanceof DeadlineResponse late && late.inMemory() != null) {
            refuse();
            return;
        }
        forwarding();
    }

    /**
     * Whether a forward now would change anything {@link #jettyForwarding()} acts on: a stream or writer taken, a
     * response committed, or a client answered already (a refresh, a deadline that passed). Asked before the stack is
     * walked to tell a forward from Jetty's other reads of its channel attribute, one of which ends every filter chain:
     * that walk costs a miss about a microsecond or two, and before the servlet has written anything a forward clears
     * nothing.
     */
    boolean forwardWouldClearSomething() {
        return stream != null || writer != null || getResponse() instanceof DetachedResponse
                || getResponse() instanceof DeadlineResponse late && late.inMemory() != null || isCommitted();
    }

    /** Watches the container's response whose stream or writer was just taken ({@link JettyForwards}). */
    private void watchContainerOutput() {
        // A refresh's stand-in keeps the body from the container's response, which was sent already.
        containerOutput = getResponse() instanceof DetachedResponse ? null : JettyForwards.taken(getResponse());
    }

    /**
     * A forward on Jetty that {@link #jettyForwarding()} did not see (of a request that does not wrap the one the
     * filter passed down), seen at the forwarded page's first call on this response: Jetty cleared its own response
     * (its buffer, and the stream or writer written through) and not what this one holds back, which went out in front
     * of the forwarded page and was stored so. The capture is cleared then ({@link #forwarding()}). Where the
     * container alone would have refused the forward (the response was committed: flushed, written past its buffer),
     * it checked only its own response, which the held body had left uncommitted: the page is stopped at this call
     * with the container's refusal, which the forwarding servlet gets as from the container alone, and the response
     * is not stored, since the page ran until this call where alone it would not have started.
     */
    private void forwardedBehindTheWrappers() {
        if (!clearedBehindTheWrappers()) {
            return;
        }
        if (isCommitted()) {
            committedFirst();
            refuse();
            throw new IllegalStateException("Committed: the response was committed before the forward");
        }
        forwarding();
    }

    /**
     * As {@link #forwardedBehindTheWrappers()} where nothing can be refused any more: the forwarded page went
     * asynchronous, or returned without a call on this response. A forward the container alone would have refused
     * keeps the response from being stored.
     */
    private void forwardedBeforeTheEnd() {
        if (clearedBehindTheWrappers()) {
            if (isCommitted()) {
                refuse();
            } else {
                forwarding();
            }
        }
    }

    /** Whether the container cleared its response behind the wrappers since it was watched (once: then unwatched). */
    private boolean clearedBehindTheWrappers() {
        JettyForwards watched = containerOutput;
        if (watched == null || stream == null && writer == null || !watched.cleared()) {
            return false;
        }
        containerOutput = null;
        return true;
    }

    /**
     * The body the client would get, before a stale answer replaces this response ({@code ApplicationAnswer}): null
     * when the copy no longer holds all of it (past {@code max-body-size}); empty for a HEAD. Read before
     * {@link #refuse()}, which drops the copy.
     */
    byte[] heldBody() {
        return "HEAD".equals(request.getMethod()) ? new byte[0] : body.captured();
    }

    /** Whether the servlet called {@code sendError}: the container renders that page, and it cannot be replaced. */
    boolean sentError() {
        return sentError;
    }

    /**
     * This response will not be stored: the copy of its body is dropped at once, and requests waiting for it to be
     * stored (coalesced on the same key) are released to run the servlet themselves.
     */
    void refuse() {
        refused = true;
        body.abandon();
        cache.release(lookup);
    }

    /** The servlet read content of the request (which no header announced): its response may depend on it. */
    void refuseContent() {
        refuseShowing("request-body");
    }

    /**
     * The servlet went asynchronous: its completion cannot wait for a store, so what is held goes to the client now and
     * the rest streams through (still copied, and stored when the response completes).
     */
    void stopHolding() throws IOException {
        forwardedBeforeTheEnd();
        streaming = true;
        body.deliver();
    }

    /**
     * Stores the completed response if the rules allow, then sends the body if it was held back. Runs once, when the
     * servlet returns or, for an asynchronous servlet, when the response completes; either way, requests coalesced on
     * the same key are released before the body is sent. A fault in storing is logged and the response stays
     * uncached; only a failure to send the body to the client is thrown.
     */
    void finish() throws IOException {
        forwardedBeforeTheEnd();
        if (!finished.compareAndSet(false, true) || refused) {
            return;
        }
        try {
            store();
        } finally {
            body.deliver();
        }
    }

    private void store() {
        try {
            byte[] bytes = body.captured();
            if (bytes == null) {
                return;
            }
            if (request.getAttribute(EarlyRoutes.CACHED_BY_METHOD) != null) {
                // A cached JAX-RS method answered: its own entry is the one its tags and evictions reach.
                return;
            }
            if (ServletRequestView.createdSession(request, requestedSessionId)) {
                // A new session's cookie is added by the container, not always where the headers show it. The body
                // is still held, so the headers can still say why.
                cache.reportRefusal(lookup, "session");
                if (!headersSent()) {
                    showReason("session");
                }
                return;
            }
            HttpServletResponse response = (HttpServletResponse) getResponse();
            if (response instanceof DetachedResponse refresh && !refresh.reproducible()
                    || response instanceof DeadlineResponse late && !late.reproducible()) {
                // A refresh (or a response past its deadline) whose headers or charset the container might have sent
                // otherwise: the entry stays.
                return;
            }
            List<Header> headers = withLanguage(withUpstreamStatus(withApplicationVary(headers(response))));
            if (headers == null || !lengthMatches(headers, bytes.length)) {
                return;
            }
            // Judged on every header the client got, including those set in front of the cache (a cookie set there
            // still makes the response personal); stored without the latter.
            int status = response.getStatus();
            List<Header> added = preset.added(headers);
            if (added == null || cache.notStoredReason(lookup, status, headers) != null) {
                return;
            }
            // Read here, when the response is complete: the servlet may add tags until then, asynchronous ones too.
            lookup.addTags(request.getAttribute(ResponseCacheInvalidator.RESPONSE_TAGS));
            lookup.addTags(List.copyOf(headerTags));
            cache.store(lookup, status, added, bytes);
        } catch (RuntimeException e) {
            faults.failed(e);
        } finally {
            cache.release(lookup);
        }
    }

    private void markForwarded() {
        showReason(shownReason);
        applicationVary.clear();
        addVary(null, true);
        // A response that sets no header at all may already be one the header-driven mode refuses (no lifetime).
        if (!refused && cache.decidesByResponseHeaders(lookup)) {
            explain();
        }
    }

    private void refuseShowing(String reason) {
        // A body past the limit was refused (counted, and shown) already: a later reason is neither counted again nor
        // shown in its place, the first reason found being the one shown.
        boolean storable = !refused && !tooLarge;
        if (storable) {
            cache.reportRefusal(lookup, reason);
        }
        // Shown before refusing, which sends the held body: one larger than the container's buffer commits it.
        if (storable && lookup.mayStore() && !headersSent()) {
            showReason(reason);
        }
        refuse();
    }

    /**
     * The body grew past {@code max-body-size} with no length declared (a declared one is judged by the rules as it
     * is set): never stored, which {@code Cache-Status} says before the held bytes go out, as for a declared length.
     * An asynchronous servlet's body streams: it is said before the write that took it past the limit reaches the
     * container, on whichever thread wrote it, unless the container sent the header lines already (the servlet
     * flushed, or wrote more than the container's buffer first); counted either way. Only shown and reported here:
     * the body, held no longer, streams on through the copy's own stream, and a reason the status or headers give
     * already stands.
     */
    private void bodyTooLarge() {
        if (refused || tooLarge || !lookup.mayStore()) {
            return;
        }
        HttpServletResponse response = (HttpServletResponse) getResponse();
        if (cache.notStoredReason(lookup, response.getStatus(), headers(response)) != null) {
            return;
        }
        tooLarge = true;
        cache.reportRefusal(lookup, "too-large");
        if (!headersSent()) {
            showReason("too-large");
        }
    }

    /** A header that can decide whether the response is stored has changed. */
    private void explain(String name) {
        if (name == null) {
            return;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        // In the ttl mode these lines decide nothing, and a miss that sets them pays no check for them.
        if (DECIDING_HEADERS.contains(lower)
                || LIFETIME_HEADERS.contains(lower) && cache.decidesByResponseHeaders(lookup)) {
            explain();
        }
    }

    private void explain() {
        if (refused || tooLarge || headersSent()) {
            return;
        }
        HttpServletResponse response = (HttpServletResponse) getResponse();
        // Read once for both judgements: each read lists every line (one search per name), on every deciding line set.
        List<Header> headers = headers(response);
        String reason = cache.notStoredReason(lookup, response.getStatus(), headers);
        if (reason != null && lookup.hasStaleOnError() && response.getStatus() >= 500) {
            // A 5xx that a stale entry may still replace: the body stays held, so that none of it reaches the client.
            if (!reason.equals(shownReason)) {
                showReason(reason);
            }
        } else if (reason != null) {
            // Known now not to be stored: the held body goes out and the rest streams, and nobody waits for it.
            refuseShowing(reason);
        } else {
            // A reason a later header may still take away (a lifetime set after the status): shown, not refused.
            // Judged on what would be stored, the lines the application added (found as on completion: the Vary and
            // Cache-Status lines set in front are told apart from the cache's): a lifetime set in front of the cache
            // is not in the entry, which the store refuses without one.
            List<Header> added = cache.decidesByResponseHeaders(lookup)
                    ? preset.added(withUpstreamStatus(withApplicationVary(headers))) : null;
            String provisional = added == null ? null
                    : cache.provisionalReason(lookup, response.getStatus(), added);
            if (!Objects.equals(provisional, shownReason)) {
                showReason(provisional);
            }
        }
    }

    private void showReason(String reason) {
        shownReason = reason;
        for (Header header : lookup.forwardHeaders(cache.settings().statusHeader(), reason, upstreamStatus)) {
            super.setHeader(header.name(), header.value());
        }
        // A member a layer in front set before this cache ran is an outer cache's: kept, after this cache's, as the
        // list runs from the origin outward (RFC 9211 2).
        for (String outer : preset.values(OUTER_STATUS)) {
            super.addHeader(Lookup.CACHE_STATUS, outer);
        }
    }

    /**
     * The headers with the Vary lines set in front of the cache and by the servlet in place of the merged one: the
     * names the cache adds are not stored (and the preset lines are then taken out with the other preset headers).
     */
    private List<Header> withApplicationVary(List<Header> sent) {
        List<Header> headers = new ArrayList<>(sent.size());
        for (Header header : sent) {
            if (!header.is("Vary")) {
                headers.add(header);
            }
        }
        for (String line : varyLines()) {
            headers.add(new Header("Vary", line));
        }
        return headers;
    }

    /** The Vary field lines of the response without the cache's names: those set in front, then the servlet's. */
    private List<String> varyLines() {
        List<String> preset = this.preset.values("vary");
        if (preset.isEmpty()) {
            return applicationVary;
        }
        List<String> lines = new ArrayList<>(preset);
        lines.addAll(applicationVary);
        return lines;
    }

    /**
     * The headers with the {@code Cache-Status} lines the servlet set in place of those the client got, which hold
     * this cache's member: that member describes this answer alone, and a hit appends its own to what is stored. The
     * lines set in front come first, where {@link PresetHeaders#added} finds and leaves out every preset header.
     */
    private List<Header> withUpstreamStatus(List<Header> sent) {
        List<Header> headers = new ArrayList<>(sent.size());
        for (Header header : sent) {
            if (!header.is(Lookup.CACHE_STATUS)) {
                headers.add(header);
            }
        }
        for (String line : preset.values(OUTER_STATUS)) {
            headers.add(new Header(Lookup.CACHE_STATUS, line));
        }
        for (String line : upstreamStatus) {
            headers.add(new Header(Lookup.CACHE_STATUS, line));
        }
        return headers;
    }

    /** Every header the client gets, read back from the container, so it does not matter how each was set. */
    static List<Header> headers(HttpServletResponse response) {
        Collection<String> names = response.getHeaderNames();
        // Sized for the names once: read on every deciding line set of a miss, so a growing list or set costs each time.
        List<Header> headers = new ArrayList<>(names.size() + 4);
        Set<String> seen = new HashSet<>(Math.max(16, names.size() * 2));
        for (String name : names) {
            if (seen.add(name.toLowerCase(Locale.ROOT))) {
                for (String value : response.getHeaders(name)) {
                    headers.add(new Header(name, value));
                }
            }
        }
        // The servlet API does not promise that Content-Type is among the listed headers.
        String contentType = response.getContentType();
        if (contentType != null && !seen.contains("content-type")) {
            headers.add(new Header("Content-Type", contentType));
        }
        return headers;
    }

    /**
     * The headers with the {@code Content-Language} of {@code setLocale}, which Tomcat sends without listing it (and
     * in place of one set by name); null when the container is another that does not list it, whose header is then
     * unknown.
     */
    private List<Header> withLanguage(List<Header> headers) {
        if (locale == null) {
            return headers;
        }
        boolean tomcat = request.getServletContext().getServerInfo().startsWith("Apache Tomcat/");
        boolean listed = headers.stream().anyMatch(header -> header.is("Content-Language"));
        if (!tomcat) {
            return listed ? headers : null;
        }
        if (!locale.equals(((HttpServletResponse) getResponse()).getLocale())) {
            // Tomcat ignored it (as for an included servlet) and sends, unlisted, whichever language it had before.
            return null;
        }
        List<Header> with = new ArrayList<>(headers.size() + 1);
        for (Header header : headers) {
            if (!header.is("Content-Language")) {
                with.add(header);
            }
        }
        with.add(new Header("Content-Language", locale.toLanguageTag()));
        return with;
    }

    /** A declared length the body does not have means the client got something else than what was copied. */
    private static boolean lengthMatches(List<Header> headers, int length) {
        for (Header header : headers) {
            if (header.is("Content-Length") && !header.value().trim().equals(Integer.toString(length))) {
                return false;
            }
        }
        return true;
    }
}
