package dev.responsecache.servlet;

import dev.responsecache.core.ResponseCache;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A response that never sends {@code responsecache.tag-header}: for the requests the filter passes on without
 * looking them up (unsafe and other methods), whose responses have no entry to tag. Looked-up requests read the
 * header in {@link CapturingResponse}.
 */
final class TagHeaderDropping extends HttpServletResponseWrapper {

    private final String name;

    private TagHeaderDropping(HttpServletResponse response, String name) {
        super(response);
        this.name = name;
    }

    /** {@code response} itself when no tag header is configured. */
    static ServletResponse wrap(ResponseCache cache, ServletResponse response) {
        String name = cache == null ? null : cache.tagHeader();
        return name != null && response instanceof HttpServletResponse http ? new TagHeaderDropping(http, name)
                : response;
    }

    @Override
    public void setHeader(String header, String value) {
        if (!name.equalsIgnoreCase(header)) {
            super.setHeader(header, value);
        }
    }

    @Override
    public void addHeader(String header, String value) {
        if (!name.equalsIgnoreCase(header)) {
            super.addHeader(header, value);
        }
    }
}
