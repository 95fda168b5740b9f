package dev.responsecache.jaxrs;

import org.jboss.resteasy.spi.ResteasyProviderFactory;

/**
 * What RESTEasy holds for the request being answered (its context data). Loaded only when RESTEasy is present.
 */
final class ResteasyContextData {

    private ResteasyContextData() {
    }

    /**
     * Whether RESTEasy holds no object of {@code type} for this request. It injects a proxy for a {@code @Context}
     * interface all the same (outside a servlet container, one for the servlet request), which then throws on every
     * call exactly as a request that cannot be read would: only this tells the two apart.
     */
    static boolean absent(Class<?> type) {
        return ResteasyProviderFactory.getInstance().getContextData(type) == null;
    }
}
