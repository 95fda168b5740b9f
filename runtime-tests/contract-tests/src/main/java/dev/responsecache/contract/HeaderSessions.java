package dev.responsecache.contract;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.IOException;
import java.security.Principal;

/**
 * Keeps sessions named by an {@code X-Auth-Token} header, as Spring Session's {@code HeaderHttpSessionIdResolver}
 * does, and logs in the user an {@code X-Api-Key} header names, as an API-key filter does: its request wrapper
 * answers {@code getRequestedSessionId()} and {@code getUserPrincipal()}, which the container never sees.
 */
public class HeaderSessions implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String token = http.getHeader("X-Auth-Token");
        String key = http.getHeader("X-Api-Key");
        chain.doFilter(new HttpServletRequestWrapper(http) {
            @Override
            public String getRequestedSessionId() {
                return token != null ? token : super.getRequestedSessionId();
            }

            @Override
            public Principal getUserPrincipal() {
                return key != null ? () -> key : super.getUserPrincipal();
            }
        }, response);
    }
}
