package dev.responsecache.servlet;

import dev.responsecache.core.HttpDates;
import dev.responsecache.spi.Header;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The request of a header-driven miss whose stale entry has a validator, as the servlet behind the filter (a proxy
 * servlet, or any servlet that evaluates preconditions) sees it: with {@code If-None-Match} and
 * {@code If-Modified-Since} for the stored entry (RFC 9111 4.3.1). An asynchronous servlet's completion is
 * intercepted so that a 304 can be answered with the stored body before the response completes.
 */
final class ConditionalRequest extends HttpServletRequestWrapper {

    /** Runs once, before the response completes (synchronously: after the servlet returns). */
    interface BeforeComplete {
        void run() throws IOException;
    }

    private final List<Header> conditions;
    private final BeforeComplete beforeComplete;
    private final Clock clock;
    private volatile AsyncContext async;

    ConditionalRequest(HttpServletRequest request, List<Header> conditions, Clock clock,
                       BeforeComplete beforeComplete) {
        super(request);
        this.clock = clock;
        this.conditions = List.copyOf(conditions);
        this.beforeComplete = beforeComplete;
    }

    @Override
    public String getHeader(String name) {
        for (Header condition : conditions) {
            if (condition.is(name)) {
                return condition.value();
            }
        }
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        for (Header condition : conditions) {
            if (condition.is(name)) {
                return Collections.enumeration(List.of(condition.value()));
            }
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        Set<String> names = new LinkedHashSet<>(Collections.list(super.getHeaderNames()));
        for (Header condition : conditions) {
            names.add(condition.name());
        }
        return Collections.enumeration(new ArrayList<>(names));
    }

    @Override
    public long getDateHeader(String name) {
        for (Header condition : conditions) {
            if (condition.is(name)) {
                // Servlets that evaluate If-Modified-Since themselves read it as a date, in any of the three formats
                // a stored Last-Modified may have.
                Long date = HttpDates.parse(condition.value(), clock.millis());
                return date == null ? -1 : date;
            }
        }
        return super.getDateHeader(name);
    }

    @Override
    public AsyncContext startAsync() {
        return intercepted(super.startAsync());
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return intercepted(super.startAsync(request, response));
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext current = async;
        return current != null ? current : super.getAsyncContext();
    }

    private AsyncContext intercepted(AsyncContext started) {
        AsyncContext wrapped = new Completing(started, beforeComplete);
        async = wrapped;
        return wrapped;
    }

    /** An asynchronous context whose {@code complete()} first lets the cache answer a 304 from the stored entry. */
    private record Completing(AsyncContext delegate, BeforeComplete beforeComplete) implements AsyncContext {

        @Override
        public void complete() {
            try {
                beforeComplete.run();
            } catch (IOException clientGone) {
                // The client hung up while the stored body was written: nothing more to send it.
            } finally {
                delegate.complete();
            }
        }

        @Override
        public ServletRequest getRequest() {
            return delegate.getRequest();
        }

        @Override
        public ServletResponse getResponse() {
            return delegate.getResponse();
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return delegate.hasOriginalRequestAndResponse();
        }

        @Override
        public void dispatch() {
            delegate.dispatch();
        }

        @Override
        public void dispatch(String path) {
            delegate.dispatch(path);
        }

        @Override
        public void dispatch(ServletContext context, String path) {
            delegate.dispatch(context, path);
        }

        @Override
        public void start(Runnable run) {
            delegate.start(run);
        }

        @Override
        public void addListener(AsyncListener listener) {
            delegate.addListener(listener);
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
            delegate.addListener(listener, request, response);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
            return delegate.createListener(type);
        }

        @Override
        public void setTimeout(long timeout) {
            delegate.setTimeout(timeout);
        }

        @Override
        public long getTimeout() {
            return delegate.getTimeout();
        }
    }
}
