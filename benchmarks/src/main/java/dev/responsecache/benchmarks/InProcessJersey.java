package dev.responsecache.benchmarks;

import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.internal.MapPropertiesDelegate;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ContainerException;
import org.glassfish.jersey.server.ContainerRequest;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.spi.ContainerResponseWriter;

/**
 * GETs through a Jersey application in-process, the response written nowhere (as a container with an infinitely fast
 * client would): what the in-process benchmarks measure is the runtime's and the cache's work, not a network's.
 */
final class InProcessJersey {

    private static final URI BASE = URI.create("http://localhost/");

    private InProcessJersey() {
    }

    /** The status Jersey answers a GET of {@code uri} with. */
    static int get(ApplicationHandler handler, URI uri) throws InterruptedException, ExecutionException {
        ContainerRequest request = new ContainerRequest(BASE, uri, "GET", null, new MapPropertiesDelegate(), null);
        request.setWriter(new DiscardingWriter());
        return handler.apply(request).get().getStatus();
    }

    /**
     * A GET of {@code path} with the query {@code n=<number>} (a new number per request: a miss when cached), which
     * must answer 200.
     */
    static void getOk(ApplicationHandler handler, String path, long number)
            throws InterruptedException, ExecutionException {
        if (get(handler, URI.create("http://localhost/" + path + "?n=" + number)) != 200) {
            throw new IllegalStateException(path + " did not answer 200");
        }
    }

    private static final class DiscardingWriter implements ContainerResponseWriter {

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
}
