package dev.responsecache.jaxrs;

import dev.responsecache.core.CapturingOutputStream;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.NegotiationDialect;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SelectionVary;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.Header;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The judgements and the store of one resource method's miss, shared by the filters and writer interceptors that see
 * it on its way out ({@link CachingFilter}, {@link SealingInterceptor}, {@link VerdictFilter}): the header lines as
 * the client gets them, the rules applied to them again, what the application replaced or read, and the store, which
 * also tells a servlet filter answering early hits how the path is keyed. Each refusal is counted as it is found.
 */
final class MissStore {

    private final ResponseCache cache;
    private final String statusHeader;
    /** The method's route as each runtime stores it (learned by identity, so made once). */
    private final EarlyRoutes.Route route;
    private final EarlyRoutes.Route jerseyRoute;
    private final EarlyRoutes.Route resteasyRoute;
    private final BooleanSupplier earlyHits;
    /** How the runtime writes header value objects, for the headers read as text. */
    private final JaxrsHeaders text;
    private final FaultLog faults;

    MissStore(ResponseCache cache, EarlyRoutes.Route route, BooleanSupplier earlyHits, JaxrsHeaders text,
              FaultLog faults) {
        this.cache = cache;
        this.statusHeader = cache.settings().statusHeader();
        this.route = route;
        this.jerseyRoute = route.negotiatedBy(NegotiationDialect.JERSEY);
        this.resteasyRoute = route.negotiatedBy(NegotiationDialect.RESTEASY);
        this.earlyHits = earlyHits;
        this.text = text;
        this.faults = faults;
    }

    /** A new session's cookie is added by the container, outside JAX-RS: the entry would lack it. */
    static boolean createdSession(Object sessionProperty) {
        ContainerSession session = ContainerSession.from(sessionProperty);
        return session != null && session.created();
    }

    /** {@link #createdSession(Object)}, counted as a refusal when it keeps the response out. */
    boolean createdSession(Lookup lookup, Object sessionProperty) {
        if (createdSession(sessionProperty)) {
            cache.reportRefusal(lookup, CachingFilter.SESSION);
            return true;
        }
        return false;
    }

    /** Whether the rules refuse the response as the client gets it (a later filter may have added a cookie). */
    boolean refusesSent(Lookup lookup, int status, List<Header> sent) {
        try {
            return cache.refusal(lookup, status, sent) != null;
        } catch (RuntimeException e) {
            faults.failed(e);
            return true;
        }
    }

    /** The headers as the client gets them, as text; null (the fault logged) when one cannot be formatted. */
    List<Header> sentHeaders(MultivaluedMap<String, Object> headers) {
        try {
            return text.toList(headers);
        } catch (RuntimeException e) {
            faults.failed(e);
            return null;
        }
    }

    /**
     * A reason the header-driven mode can only tell from the headers as a whole (no lifetime, Authorization without
     * public, too old), or null. Judged on what is stored, the method's status and headers (with those its message
     * body writer sets, once it has run), as the store judges them: a lifetime a response filter adds for the client
     * is not in the entry. Not reported: the caller reports it once it is final.
     */
    String provisionalReason(Lookup lookup, ProducedResponse produced) {
        try {
            return cache.provisionalReason(lookup, produced.status(), produced.headers());
        } catch (RuntimeException unexpected) {
            // Reported where the same rules read the same headers again before storing, and not stored.
            return null;
        }
    }

    /**
     * The copy of the body was given up: past {@code max-body-size} while the body was still held, no byte and so no
     * header line has gone out, and {@code Cache-Status} says {@code too-large} where it said the response would be
     * stored. (No memory for the copy, or a failed write, changes nothing the client reads.)
     */
    void givenUp(PendingStore pending, CapturingOutputStream capture, MultivaluedMap<String, Object> headers) {
        if (capture == null || !capture.holding() || !capture.overflowed()) {
            return;
        }
        cache.reportRefusal(pending.lookup(), CachingFilter.TOO_LARGE);
        List<Header> forwarded = pending.lookup().forwardHeaders(statusHeader, CachingFilter.TOO_LARGE,
                pending.upstream());
        for (Header header : forwarded) {
            headers.putSingle(header.name(), header.value());
        }
    }

    /**
     * Whether the rules refuse the response as the client gets it, with every line a filter, an interceptor or the
     * message body writer added after {@link CachingFilter#STORE_PRIORITY} judged it: the header map is not sent yet
     * (the body is held, or there is none), so {@code Cache-Status} is set again to give the reason, where it said
     * the response would be stored.
     */
    boolean refusedAsSent(PendingStore pending, List<Header> sent, MultivaluedMap<String, Object> headers) {
        String reason;
        try {
            reason = cache.refusal(pending.lookup(), pending.produced().status(), sent);
        } catch (RuntimeException e) {
            faults.failed(e);
            return true;
        }
        if (reason == null) {
            return false;
        }
        for (Header header : pending.lookup().forwardHeaders(statusHeader, reason, pending.upstream())) {
            headers.putSingle(header.name(), header.value());
        }
        return true;
    }

    /**
     * Whether the method's entity wrote no byte (an empty {@code String}) where the application has response filters
     * or writer interceptors of its own ({@code transparent} is not true). A hit replays an empty body of a status
     * below 400 as a response without an entity, as the runtime answers one that has none: no writer interceptor
     * runs for it and a filter sees no entity, so what an interceptor of the application wrote around the body (a
     * prefix) or set (a line) was missing from every hit. Not stored; the header lines are held with the body, so
     * {@code Cache-Status} says so.
     */
    boolean wroteNothing(PendingStore pending, byte[] body, Object transparent,
                         MultivaluedMap<String, Object> headers) {
        if (body.length > 0 || pending.produced().status() >= 400 || Boolean.TRUE.equals(transparent)) {
            return false;
        }
        cache.reportRefusal(pending.lookup(), CachingFilter.EMPTY_ENTITY);
        for (Header header : pending.lookup().forwardHeaders(statusHeader, CachingFilter.EMPTY_ENTITY,
                pending.upstream())) {
            headers.putSingle(header.name(), header.value());
        }
        return true;
    }

    /**
     * The refusal shown before the message body writer ran, judged again on the headers it left: the writer may have
     * set the lifetime that lifts it ({@code Cache-Control} in {@code writeTo}), and then {@code Cache-Status} says
     * the response is stored. The body is still held, so the header map has not been sent yet. Returns the sent
     * headers with the {@code Cache-Status} they now carry. The store, which follows, reports a refusal that holds.
     */
    List<Header> judgedAgain(PendingStore pending, ProducedResponse written,
                             MultivaluedMap<String, Object> headers, List<Header> sent) {
        String reason = provisionalReason(pending.lookup(), written);
        if (pending.provisional().equals(reason)) {
            return sent;
        }
        List<Header> forwarded = pending.lookup().forwardHeaders(statusHeader, reason, pending.upstream());
        for (Header header : forwarded) {
            headers.putSingle(header.name(), header.value());
        }
        return FieldLines.replaced(sent, forwarded);
    }

    /**
     * Whether a response filter or writer interceptor of the application replaced the entity the method returned (an
     * API envelope around it, a view model rendered from it). The entry holds the bytes written from the replacement,
     * but a hit goes through the same filters and interceptors again with those bytes as its entity: they would
     * replace, wrap or render it a second time. Such a response is not stored. So is the error RESTEasy writes through
     * the interceptors in the method's place when it finds no message body writer for the entity (its 500 would be
     * stored under the method's status). Admitted: Jersey MVC's {@code Viewable} around a {@code @Template} method's
     * model, which a hit does not go through ({@link JerseyTemplates}), as the entity is written. Its template is the
     * one the method's own annotations name, as the first response filter saw them: the annotations the entity is
     * written with are the application's to replace, and an interceptor that puts another {@code @Template} there
     * (a page per language) has Jersey MVC render a template no key covers.
     */
    boolean entityReplaced(Lookup lookup, ProducedResponse produced, Object written, boolean writing) {
        if (written == produced.entity()) {
            return false;
        }
        if (writing && written != null && written.getClass().getName().equals(JerseyTemplates.VIEWABLE)
                && renderedByJerseyMvc(written, produced.entity(), produced.annotations())) {
            return false;
        }
        cache.reportRefusal(lookup, CachingFilter.ENTITY_REPLACED);
        return true;
    }

    private static boolean renderedByJerseyMvc(Object written, Object model, Annotation[] annotations) {
        try {
            return JerseyTemplates.renderedModel(written, model, annotations);
        } catch (LinkageError e) {
            // Jersey MVC is not visible from the cache's class loader: not known to be its Viewable.
            return false;
        }
    }

    boolean contentReadWhileWriting(Lookup lookup, WriterInterceptorContext context) {
        if (ContentRead.happened(context)) {
            // A StreamingOutput read content no header announced (HTTP/2) as it wrote.
            cache.reportRefusal(lookup, "request-body");
            return true;
        }
        return false;
    }

    /**
     * Stores the response, and tells a servlet filter answering early hits in front of the runtime how this path is
     * keyed. A header the runtime cannot format (a user value whose {@code toString} throws) skips the store rather
     * than failing the response, and still releases the requests waiting for this one.
     */
    void store(Lookup lookup, ProducedResponse produced, byte[] body, Object transparent,
               MultivaluedMap<String, Object> sent, List<Header> sentText, List<String> sentVary) {
        if (sent.containsKey(HttpHeaders.CONTENT_ENCODING)) {
            // An encoder of the application ran (it runs again on every hit): the cache must not compress too.
            lookup.leaveCodingToApplication();
        }
        EarlyRoutes.Route stored = routeStoredBy(lookup.negotiation());
        if (cache.store(lookup, produced.status(), produced.headers(), body, sentVary) != null
                // A path already learned for this method (every miss of another query) is not checked again.
                && !cache.earlyRoutes().knows(lookup, stored) && earlyHits.getAsBoolean()
                && Boolean.TRUE.equals(transparent) && produced.status() != ApplicationPipeline.SANITIZED_STATUS
                && !locationResolvedOnTheWayOut(produced.headers()) && sentAsProduced(lookup, produced, sentText)) {
            cache.earlyRoutes().learn(lookup, stored);
        }
    }

    /**
     * The route a peek in front of the runtime that stored the entry judges its requests' negotiation headers by:
     * this runtime's, so that on Jersey a weight {@code .5} (which the strictest refuses) is still answered
     * early. Early routes are this instance's own, learned from this runtime.
     */
    private EarlyRoutes.Route routeStoredBy(NegotiationDialect dialect) {
        if (dialect == NegotiationDialect.JERSEY) {
            return jerseyRoute;
        }
        return dialect == NegotiationDialect.RESTEASY ? resteasyRoute : route;
    }

    /**
     * Whether the method's {@code Location} is not an absolute URI: Jersey resolves such a one against the base URI
     * as it writes the response, after every filter, so the client got another value than the entry holds, and only
     * a hit through the runtime resolves it again. An early hit would replay it as stored, and a client would
     * resolve it against the request's URL instead.
     */
    private static boolean locationResolvedOnTheWayOut(List<Header> produced) {
        for (Header header : produced) {
            if (header.is(HttpHeaders.LOCATION)) {
                try {
                    if (!new URI(header.value()).isAbsolute()) {
                        return true;
                    }
                } catch (URISyntaxException unreadable) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the client got the headers the method produced, with only the cache's own added: then an early hit,
     * which replays the entry without the runtime, sends what the runtime would have. A filter registered for this
     * method alone (by another dynamic feature) shows here.
     */
    private boolean sentAsProduced(Lookup lookup, ProducedResponse produced, List<Header> sent) {
        List<String> upstream = new ArrayList<>();
        for (Header header : produced.headers()) {
            if (header.is(Lookup.CACHE_STATUS)) {
                upstream.add(header.value());
            }
        }
        List<Header> expected = new ArrayList<>(lookup.forwardHeaders(statusHeader, null, upstream));
        List<String> vary = new ArrayList<>();
        for (Header header : produced.headers()) {
            if (header.is(Lookup.CACHE_STATUS) || header.is(statusHeader)) {
                continue;
            }
            if (header.is(HttpHeaders.VARY)) {
                vary.add(header.value());
            } else {
                expected.add(header);
            }
        }
        String merged = SelectionVary.merged(lookup, vary);
        if (merged != null) {
            expected.add(new Header(HttpHeaders.VARY, merged));
        } else {
            vary.forEach(value -> expected.add(new Header(HttpHeaders.VARY, value)));
        }
        return FieldLines.sameFieldLines(expected, sent);
    }
}
