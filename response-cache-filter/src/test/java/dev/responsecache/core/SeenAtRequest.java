package dev.responsecache.core;

/**
 * {@code request} as a runtime that saw it addressed to {@code origin} gives it (null: a runtime that cannot tell):
 * over TLS, to an HTTP/2 {@code :authority} or an absolute-form target that its {@code Host} header does not name.
 */
record SeenAtRequest(FakeRequest request, String origin) implements ForwardingRequest {

    @Override
    public String hostName() {
        return origin == null ? null : request.hostName();
    }

    @Override
    public String seenOrigin() {
        return origin;
    }
}
