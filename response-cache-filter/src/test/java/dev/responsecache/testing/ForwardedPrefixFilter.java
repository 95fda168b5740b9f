package dev.responsecache.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Honours {@code X-Forwarded-Prefix} as Spring's {@code ForwardedHeaderFilter} does: the prefix replaces the context
 * path in {@code getContextPath}, {@code getRequestURI} and {@code getRequestURL}, so the application builds its links
 * with it, and the header is hidden from what runs behind. {@code Host} is left alone.
 */
public final class ForwardedPrefixFilter implements Filter {

    public static final String HEADER = "X-Forwarded-Prefix";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String prefix = http.getHeader(HEADER);
        chain.doFilter(prefix == null ? request : new Prefixed(http, prefix.replaceAll("/+$", "")), response);
    }

    private static final class Prefixed extends HttpServletRequestWrapper {
        private final String prefix;
        private final String requestUri;

        Prefixed(HttpServletRequest request, String prefix) {
            super(request);
            this.prefix = prefix;
            this.requestUri = prefix + request.getRequestURI().substring(request.getContextPath().length());
        }

        @Override
        public String getContextPath() {
            return prefix;
        }

        @Override
        public String getRequestURI() {
            return requestUri;
        }

        @Override
        public StringBuffer getRequestURL() {
            StringBuffer url = new StringBuffer(getScheme()).append("://").append(getServerName());
            url.append(':').append(getServerPort()).append(requestUri);
            return url;
        }

        @Override
        public String getHeader(String name) {
            return HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !HEADER.equalsIgnoreCase(name)).toList());
        }
    }
}
