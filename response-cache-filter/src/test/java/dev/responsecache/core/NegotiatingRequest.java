package dev.responsecache.core;

/** A request as the JAX-RS adapter sees it, naming how its runtime negotiates (null: in front of the runtime). */
final class NegotiatingRequest implements CacheRequest {

    private final FakeRequest request;
    private final NegotiationDialect dialect;
    private Object peekedRead;

    NegotiatingRequest(FakeRequest request, NegotiationDialect dialect) {
        this.request = request;
        this.dialect = dialect;
    }

    @Override
    public NegotiationDialect negotiation() {
        return dialect;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String rawPath() {
        return request.rawPath();
    }

    @Override
    public String rawQuery() {
        return request.rawQuery();
    }

    @Override
    public String header(String name) {
        return request.header(name);
    }

    @Override
    public String principalName() {
        return request.principalName();
    }

    @Override
    public String representation() {
        return request.representation();
    }

    @Override
    public String hostName() {
        return request.hostName();
    }

    @Override
    public String seenOrigin() {
        return request.seenOrigin();
    }

    @Override
    public Object peekedRead() {
        return peekedRead;
    }

    @Override
    public void keepPeekedRead(Object read) {
        peekedRead = read;
    }
}
