package dev.responsecache.benchmarks;

import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ContainerException;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.spi.ContainerResponseWriter;

/**
 * Writes a response nowhere, as a container with an infinitely fast client would: what the in-process Jersey
 * benchmarks measure is the runtime's and the cache's work, not a network's.
 */
final class DiscardingWriter implements ContainerResponseWriter {

    @Override
    public OutputStream writeResponseStatusAndHeaders(long contentLength, ContainerResponse response)
            throws ContainerException {
        return OutputStream.nullOutputStream();
    }

    @Override
    public boolean suspend(long timeOut, TimeUnit timeUnit, TimeoutHandler timeoutHandler) {
        return false;
    }

    @Override
    public void setSuspendTimeout(long timeOut, TimeUnit timeUnit) {
    }

    @Override
    public void commit() {
    }

    @Override
    public void failure(Throwable error) {
        throw new IllegalStateException(error);
    }

    @Override
    public boolean enableResponseBuffering() {
        return false;
    }
}
