package dev.responsecache.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;

/**
 * A filter whose response wrapper refuses {@code Age}, a field a hit sets and an application never does (as a filter
 * that strips caching hints with a strict wrapper might): a hit written through it fails in the middle of its lines.
 */
public final class AgeRefusingFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
            @Override
            public void setHeader(String name, String value) {
                refuseAge(name);
                super.setHeader(name, value);
            }

            @Override
            public void addHeader(String name, String value) {
                refuseAge(name);
                super.addHeader(name, value);
            }

            @Override
            public void setIntHeader(String name, int value) {
                refuseAge(name);
                super.setIntHeader(name, value);
            }
        });
    }

    private static void refuseAge(String name) {
        if ("Age".equalsIgnoreCase(name)) {
            throw new IllegalArgumentException("Age is not sent by this application");
        }
    }
}
