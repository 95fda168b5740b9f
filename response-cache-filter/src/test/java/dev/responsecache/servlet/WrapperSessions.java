package dev.responsecache.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;

/**
 * Keeps sessions of its own, named by a {@code SESSION} cookie, as Spring Session's filter does; the container's (if
 * it has any) otherwise.
 */
final class WrapperSessions implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        chain.doFilter(new HttpServletRequestWrapper(http) {
            @Override
            public String getRequestedSessionId() {
                Cookie[] cookies = http.getCookies();
                if (cookies != null) {
                    for (Cookie cookie : cookies) {
                        if (cookie.getName().equals("SESSION")) {
                            return cookie.getValue();
                        }
                    }
                }
                return super.getRequestedSessionId();
            }
        }, response);
    }
}
