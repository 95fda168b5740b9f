package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Which representation a request will get, for the key: JSON and XML of one URL must never share an entry. Mirrors
 * JAX-RS negotiation: the first acceptable type (by quality) that the method produces.
 */
final class Representation {

    private final List<MediaType> produced;
    private final String only;

    private Representation(List<MediaType> produced) {
        this.produced = List.copyOf(produced);
        this.only = produced.size() == 1 && !produced.get(0).isWildcardType() && !produced.get(0).isWildcardSubtype()
                ? produced.get(0).toString() : null;
    }

    static Representation of(List<MediaType> produced) {
        return new Representation(produced);
    }

    String of(ContainerRequestContext request) {
        if (only != null) {
            return only;
        }
        if (produced.isEmpty() || hasWildcard()) {
            // Nothing declared to negotiate with: the Accept header itself decides what the method returns.
            String accept = request.getHeaderString(HttpHeaders.ACCEPT);
            return accept == null ? "*/*" : accept.replace(" ", "");
        }
        for (MediaType acceptable : request.getAcceptableMediaTypes()) {
            for (MediaType type : produced) {
                if (type.isCompatible(acceptable)) {
                    return type.toString();
                }
            }
        }
        return "none";
    }

    private boolean hasWildcard() {
        for (MediaType type : produced) {
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                return true;
            }
        }
        return false;
    }
}
