package dev.responsecache.jaxrs;

import dev.responsecache.spi.FaultLog;
import dev.responsecache.core.Invalidations;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.TagTemplate;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Evicts after one resource method succeeds (2xx or 3xx): its {@code @InvalidatesCache} tags and paths and, for an
 * unsafe method when default invalidation is on, its own path and its same-origin {@code Location} and
 * {@code Content-Location}. As a response filter it evicts before the response is written, so a client that got the
 * response never reads the evicted entry afterwards. A store fault is logged once per episode, never answered.
 */
final class InvalidatingFilter implements ContainerResponseFilter {

    private final ResponseCache cache;
    private final boolean ownPath;
    private final List<TagTemplate> tags;
    private final List<TagTemplate> paths;
    private final FaultLog faults = new FaultLog("response cache invalidation (JAX-RS)");

    InvalidatingFilter(ResponseCache cache, boolean ownPath, List<TagTemplate> tags, List<TagTemplate> paths) {
        this.cache = cache;
        this.ownPath = ownPath;
        this.tags = List.copyOf(tags);
        this.paths = List.copyOf(paths);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!Invalidations.evictsAfter(response.getStatus())) {
            return;
        }
        Set<String> evicted = new LinkedHashSet<>();
        UriInfo uri = request.getUriInfo();
        String query = uri.getRequestUri().getRawQuery();
        if (ownPath) {
            evicted.add(Invalidations.pathTag(uri.getRequestUri().getRawPath()));
        }
        // Each part apart: one that cannot be named (an unparsable Location) must not drop the others.
        boolean failed = false;
        try {
            if (ownPath) {
                locations(uri, response.getStringHeaders(), evicted);
            }
        } catch (RuntimeException e) {
            failed = true;
            faults.failed(e);
        }
        MultivaluedMap<String, String> decoded = uri.getPathParameters();
        for (TagTemplate tag : tags) {
            evicted.add(tag.tag(decoded::getFirst, query));
        }
        try {
            paths(uri, query, evicted);
        } catch (RuntimeException e) {
            failed = true;
            faults.failed(e);
        }
        if (!failed) {
            faults.succeeded();
        }
        cache.evictQuietly(evicted);
    }

    /** The same-origin {@code Location} and {@code Content-Location} of an unsafe request's response. */
    private static void locations(UriInfo uri, MultivaluedMap<String, String> headers, Set<String> evicted) {
        URI requestUri = uri.getRequestUri();
        URI baseUri = uri.getBaseUri();
        for (String header : List.of(HttpHeaders.LOCATION, HttpHeaders.CONTENT_LOCATION)) {
            String location = headers.getFirst(header);
            // A relative reference is still relative here: a client resolves it against the request's URI when
            // the runtime sends it as it is (RESTEasy), Jersey makes it absolute against the base URI after the
            // response filters. Both paths are evicted: one more eviction costs a miss, one fewer a wrong hit.
            String tag = Invalidations.sameOriginPathTag(requestUri, location);
            if (tag != null) {
                evicted.add(tag);
            }
            String fromBase = Invalidations.sameOriginPathTag(requestUri, baseUri, location);
            if (fromBase != null) {
                evicted.add(fromBase);
            }
        }
    }

    private void paths(UriInfo uri, String query, Set<String> evicted) {
        if (paths.isEmpty()) {
            return;
        }
        MultivaluedMap<String, String> encoded = uri.getPathParameters(false);
        String base = uri.getBaseUri().getRawPath();
        for (TagTemplate path : paths) {
            String relative = path.fill(encoded::getFirst, query).replaceFirst("^/+", "");
            evicted.add(Invalidations.pathTag(base.endsWith("/") ? base + relative : base + "/" + relative));
        }
    }
}
