package dev.responsecache.servlet;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A response on which a header line that the container or a response wrapper in front refuses is left out rather
 * than failing the answer: for an answer that cannot go on uncached (the servlet has answered), whose refused line
 * would not reach the client on any answer. A refusal once the response is committed still throws.
 */
final class RefusedLinesDropped extends HttpServletResponseWrapper {

    RefusedLinesDropped(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setHeader(String name, String value) {
        line(() -> super.setHeader(name, value));
    }

    @Override
    public void addHeader(String name, String value) {
        line(() -> super.addHeader(name, value));
    }

    @Override
    public void setIntHeader(String name, int value) {
        line(() -> super.setIntHeader(name, value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        line(() -> super.addIntHeader(name, value));
    }

    @Override
    public void setDateHeader(String name, long date) {
        line(() -> super.setDateHeader(name, date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        line(() -> super.addDateHeader(name, date));
    }

    private void line(Runnable set) {
        try {
            set.run();
        } catch (RuntimeException refused) {
            if (isCommitted()) {
                throw refused;
            }
        }
    }
}
