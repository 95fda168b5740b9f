package dev.responsecache.jaxrs;

import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.Header;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;

/**
 * The last response filter: stores a response without an entity that the filter at {@link CachingFilter#STORE_PRIORITY}
 * found storable, once no filter can add a line to it any more (an application's at a priority below that one
 * runs between the two, on a miss as on every hit). A response with an entity is left to the writer interceptor,
 * unless a filter between the two replaced its status or took its entity away: then it is not the response that
 * was judged, and without an entity no writer would run to store it or release the requests waiting for it.
 */
final class VerdictFilter implements ContainerResponseFilter {

    private static final byte[] NO_BODY = new byte[0];

    private final ResponseCache cache;
    private final String statusHeader;
    private final MissStore miss;

    VerdictFilter(ResponseCache cache, MissStore miss) {
        this.cache = cache;
        this.statusHeader = cache.settings().statusHeader();
        this.miss = miss;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        // One property read on every response, hit or miss: both kinds of pending store are under one name.
        if (!(request.getProperty(CachingFilter.PENDING) instanceof PendingStore pending)) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        // An entity or a status set after the filter at STORE_PRIORITY: not the response that was judged.
        String replaced = response.hasEntity() != pending.withEntity() ? CachingFilter.ENTITY_REPLACED
                : response.getStatus() != pending.produced().status() ? CachingFilter.STATUS_REPLACED : null;
        if (pending.withEntity() && replaced == null) {
            return;
        }
        request.removeProperty(CachingFilter.PENDING);
        if (replaced != null) {
            cache.reportRefusal(pending.lookup(), replaced);
            for (Header header : pending.lookup().forwardHeaders(statusHeader, replaced, pending.upstream())) {
                headers.putSingle(header.name(), header.value());
            }
        }
        List<Header> sent = replaced == null ? miss.sentHeaders(headers) : null;
        if (sent == null || miss.refusedAsSent(pending, sent, headers)) {
            cache.release(pending.lookup());
            return;
        }
        miss.store(pending.lookup(), pending.produced(), NO_BODY, request.getProperty(ApplicationPipeline.PROPERTY),
                headers, sent, FieldLines.sentVary(request.getProperty(CachingFilter.APPLICATION_VARY),
                        request.getProperty(CachingFilter.MERGED_VARY), sent));
    }
}
