package dev.responsecache.jaxrs;

import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Which representation a request will get, for the key, so that JSON and XML of one URL never share an entry. A
 * method that produces one concrete type always answers with it; otherwise what it answers depends on the
 * {@code Accept} header, which then keys the entry as sent (spaces removed). Keying on the header itself rather than
 * on a re-implementation of the runtime's negotiation means two requests share an entry only when the runtime would
 * certainly negotiate the same type for both. The same function serves the servlet filter's early hits.
 */
final class Representation {

    private final String only;

    private Representation(String only) {
        this.only = only;
    }

    static Representation of(List<MediaType> produced) {
        MediaType single = produced.size() == 1 ? produced.get(0) : null;
        return new Representation(single == null || single.isWildcardType() || single.isWildcardSubtype()
                ? null : single.toString());
    }

    /** The representation for an {@code Accept} header value (null when the request has none). */
    String of(String accept) {
        if (only != null) {
            return only;
        }
        return accept == null ? "*/*" : accept.replace(" ", "");
    }
}
