package dev.responsecache.jaxrs;

import java.util.ArrayList;
import java.util.List;

import org.jboss.resteasy.spi.HttpResponse;
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

    /**
     * The {@code Vary} lines RESTEasy put on its own response for this request: {@code Request.selectVariant} writes
     * the headers it selected by there, beside the JAX-RS response, where no response filter sees them. Empty
     * without one.
     */
    static List<String> varyBesideTheResponse() {
        HttpResponse response = ResteasyProviderFactory.getInstance().getContextData(HttpResponse.class);
        List<Object> vary = response == null ? null : response.getOutputHeaders().get("Vary");
        if (vary == null || vary.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(vary.size());
        vary.forEach(line -> lines.add(String.valueOf(line)));
        return lines;
    }
}
