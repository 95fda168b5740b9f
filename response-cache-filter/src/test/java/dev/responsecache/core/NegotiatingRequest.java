package dev.responsecache.core;

/** A request as the JAX-RS adapter sees it, naming how its runtime negotiates (null: in front of the runtime). */
final class NegotiatingRequest implements ForwardingRequest {

    private final FakeRequest request;
    private final NegotiationDialect dialect;
    private Object peekedRead;

    NegotiatingRequest(FakeRequest request, NegotiationDialect dialect) {
        this.request = request;
        this.dialect = dialect;
    }

    @Override
    public FakeRequest request() {
        return request;
    }

    @Override
    public NegotiationDialect negotiation() {
        return dialect;
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
