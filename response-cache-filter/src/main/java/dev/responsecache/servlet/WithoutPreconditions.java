package dev.responsecache.servlet;

import dev.responsecache.core.CacheRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The client's request without its preconditions and range, as a refresh or a revalidation sends it down the chain:
 * the application must produce what is stored (or revalidate it with the cache's own validators), not what this
 * client already has; its {@code If-None-Match} would make it answer a 304 (or a {@code Range} a 206) that cannot be
 * stored, and the entry would stay stale.
 */
class WithoutPreconditions extends HttpServletRequestWrapper {
    WithoutPreconditions(HttpServletRequest request) {
        super(request);
    }

    private static boolean hidden(String name) {
        return name != null && CacheRequest.PRECONDITIONS_AND_RANGE.contains(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String getHeader(String name) {
        return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public long getDateHeader(String name) {
        return hidden(name) ? -1 : super.getDateHeader(name);
    }

    @Override
    public int getIntHeader(String name) {
        return hidden(name) ? -1 : super.getIntHeader(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (String name : Collections.list(super.getHeaderNames())) {
            if (!hidden(name)) {
                names.add(name);
            }
        }
        return Collections.enumeration(names);
    }
}
