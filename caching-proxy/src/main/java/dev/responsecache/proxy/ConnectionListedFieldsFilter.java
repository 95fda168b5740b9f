package dev.responsecache.proxy;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * In front of the cache: the fields a client's {@code Connection} header lists are hidden from the cache as from the
 * proxy servlet, which does not forward them (RFC 9110 7.6.1). The origin answers as if they were absent, so the cache
 * must key and match that answer as the answer to a request without them: read from the client's request, a field
 * the origin's {@code Vary} names stored the answer for no value under the client's value, for every later client
 * sending it. {@code Host} stays: the proxy servlet sends the origin's own either way.
 */
final class ConnectionListedFieldsFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            Set<String> listed = listed(http);
            if (!listed.isEmpty()) {
                chain.doFilter(new Hiding(http, listed), response);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The lower-case names the Connection header lists, besides its own options and Host. */
    private static Set<String> listed(HttpServletRequest request) {
        Set<String> names = new HashSet<>();
        Enumeration<String> values = request.getHeaders("Connection");
        while (values != null && values.hasMoreElements()) {
            for (String token : values.nextElement().split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("close") && !name.equals("keep-alive") && !name.equals("host")
                        && !name.equals("connection")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static final class Hiding extends HttpServletRequestWrapper {

        private final Set<String> hidden;

        Hiding(HttpServletRequest request, Set<String> hidden) {
            super(request);
            this.hidden = hidden;
        }

        private boolean hides(String name) {
            return name != null && hidden.contains(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String getHeader(String name) {
            return hides(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hides(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> all = super.getHeaderNames(); all.hasMoreElements(); ) {
                String name = all.nextElement();
                if (!hides(name)) {
                    names.add(name);
                }
            }
            return Collections.enumeration(names);
        }

        @Override
        public long getDateHeader(String name) {
            return hides(name) ? -1 : super.getDateHeader(name);
        }

        @Override
        public int getIntHeader(String name) {
            return hides(name) ? -1 : super.getIntHeader(name);
        }
    }
}
