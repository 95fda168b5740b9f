package dev.responsecache.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;

/**
 * The request of an unsafe request, so that an asynchronous servlet's answer is evicted for before it is sent, as a
 * synchronous one's is ({@link EvictingBeforeCommit}). After {@code startAsync()}, Jetty and Tomcat hand
 * {@code AsyncContext.getResponse()} the container's own response, which bypassed the eviction on a flush or a full
 * buffer; here it starts with the evicting response instead. And {@code complete()} sends the answer before the
 * container tells its listeners (Jetty), so the context evicts before completing, and before dispatching; the
 * listeners given to it see it too, so that one completing on a timeout or an error evicts first as well.
 */
final class EvictingAsyncRequest extends HttpServletRequestWrapper {

    private final EvictingBeforeCommit answer;
    private final Runnable eviction;
    private volatile Context context;

    EvictingAsyncRequest(HttpServletRequest request, EvictingBeforeCommit answer, Runnable eviction) {
        super(request);
        this.answer = answer;
        this.eviction = eviction;
    }

    @Override
    public AsyncContext startAsync() {
        return evicting(super.startAsync(this, answer));
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return evicting(super.startAsync(request, response));
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext started = super.getAsyncContext();
        Context mine = context;
        return mine != null && mine.started == started ? mine : started;
    }

    private AsyncContext evicting(AsyncContext started) {
        Context mine = new Context(started, eviction);
        context = mine;
        return mine;
    }

    private record Context(AsyncContext started, Runnable eviction) implements AsyncContext {

        @Override
        public ServletRequest getRequest() {
            return started.getRequest();
        }

        @Override
        public ServletResponse getResponse() {
            return started.getResponse();
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return started.hasOriginalRequestAndResponse();
        }

        @Override
        public void dispatch() {
            // The dispatched servlet may answer without a commit this sees: evicted here and at completion.
            eviction.run();
            started.dispatch();
        }

        @Override
        public void dispatch(String path) {
            eviction.run();
            started.dispatch(path);
        }

        @Override
        public void dispatch(ServletContext servletContext, String path) {
            eviction.run();
            started.dispatch(servletContext, path);
        }

        @Override
        public void complete() {
            eviction.run();
            started.complete();
        }

        @Override
        public void start(Runnable run) {
            started.start(run);
        }

        @Override
        public void addListener(AsyncListener listener) {
            started.addListener(new Seeing(listener, this));
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
            started.addListener(new Seeing(listener, this), request, response);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
            return started.createListener(type);
        }

        @Override
        public void setTimeout(long timeout) {
            started.setTimeout(timeout);
        }

        @Override
        public long getTimeout() {
            return started.getTimeout();
        }
    }

    /** A listener of the servlet's, whose events name the evicting context, so that its complete() evicts first. */
    private record Seeing(AsyncListener listener, Context context) implements AsyncListener {

        private AsyncEvent seen(AsyncEvent event) {
            return new AsyncEvent(context, event.getSuppliedRequest(), event.getSuppliedResponse(),
                    event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) throws IOException {
            listener.onComplete(seen(event));
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            listener.onTimeout(seen(event));
        }

        @Override
        public void onError(AsyncEvent event) throws IOException {
            listener.onError(seen(event));
        }

        @Override
        public void onStartAsync(AsyncEvent event) throws IOException {
            listener.onStartAsync(seen(event));
        }
    }
}
