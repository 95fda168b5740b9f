package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.FeatureContext;

import java.util.Map;

/**
 * Takes {@code responsecache.tag-header} off every response, so that the client never gets it: a cached method's
 * response has lost it already to the snapshot, which runs just before and reads its tags; a non-cached method's or
 * an unsafe request's response has no entry to tag.
 */
final class TagHeaderFilter implements ContainerResponseFilter {

    private final String name;

    private TagHeaderFilter(String name) {
        this.name = name;
    }

    /** Registers the filter when a tag header is configured. */
    static void registerIfOn(FeatureContext context, String tagHeader) {
        if (tagHeader != null) {
            context.register(new TagHeaderFilter(tagHeader),
                    Map.of(ContainerResponseFilter.class, CachingFilter.SNAPSHOT_PRIORITY - 1));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().remove(name);
    }
}
