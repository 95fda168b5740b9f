package dev.responsecache.core;

/**
 * A test's request that is {@link #request()} but for what it overrides: its six required answers are that request's.
 * A record with a {@code FakeRequest request} component implements it with no more than what differs.
 */
interface ForwardingRequest extends CacheRequest {

    /** The request every answer not overridden is taken from. */
    FakeRequest request();

    @Override
    default String method() {
        return request().method();
    }

    @Override
    default String rawPath() {
        return request().rawPath();
    }

    @Override
    default String rawQuery() {
        return request().rawQuery();
    }

    @Override
    default String header(String name) {
        return request().header(name);
    }

    @Override
    default String principalName() {
        return request().principalName();
    }

    @Override
    default String representation() {
        return request().representation();
    }
}
