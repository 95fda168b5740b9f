package dev.responsecache.servlet;

import dev.responsecache.core.RefreshHandOff;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What {@link ErrorReplacingResponse} costs the GETs it guards that nothing can be answered stale for (no cache
 * entry, a method that is not cached): the request runs a chain that sets a status and a header, alone and through
 * the guard. The request's attributes are a fresh map per request, as a container's are, holding the runner's mark
 * that {@link RefreshRunner} sets first. Run with {@code -prof gc}: the difference of the two is the guard's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ErrorGuardBenchmark {

    private static final HttpServletRequest NO_REQUEST = (HttpServletRequest) Proxy.newProxyInstance(
            ErrorGuardBenchmark.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (proxy, method,
                    args) -> {
                throw new UnsupportedOperationException(method.getName());
            });
    private static final HttpServletResponse NO_RESPONSE = (HttpServletResponse) Proxy.newProxyInstance(
            ErrorGuardBenchmark.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (proxy, method,
                    args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    private final Response response = new Response();
    private final FilterChain chain = (request, response) -> {
        HttpServletResponse http = (HttpServletResponse) response;
        http.setStatus(200);
        http.setHeader("Content-Type", "text/plain");
    };

    @Benchmark
    public Object chainAlone() throws Exception {
        Request request = new Request();
        chain.doFilter(request, response);
        return request;
    }

    @Benchmark
    public Object chainThroughTheGuard() throws Exception {
        Request request = new Request();
        ErrorReplacingResponse.forward(request, response, chain);
        return request;
    }

    /** A GET's request as the container gives it to the runner: only attributes and the async state are read. */
    private static final class Request extends HttpServletRequestWrapper {
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();

        Request() {
            super(NO_REQUEST);
            attributes.put(RefreshHandOff.RUNNER, Boolean.TRUE);
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
        }

        @Override
        public boolean isAsyncStarted() {
            return false;
        }
    }

    /** A container's response that takes a status and headers, and keeps nothing. */
    private static final class Response extends HttpServletResponseWrapper {

        Response() {
            super(NO_RESPONSE);
        }

        @Override
        public void setStatus(int status) {
            // taken
        }

        @Override
        public void setHeader(String name, String value) {
            // taken
        }

        @Override
        public boolean isCommitted() {
            return false;
        }
    }
}
