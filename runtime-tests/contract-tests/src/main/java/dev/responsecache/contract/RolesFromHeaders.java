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
import java.util.List;

/**
 * Stands in for container authentication, in front of every other filter: {@code X-User} names the user,
 * {@code X-Roles} their roles. JAX-RS runtimes in a servlet container answer {@code isUserInRole} from the request.
 */
public class RolesFromHeaders implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String user = http.getHeader("X-User");
        if (user == null) {
            chain.doFilter(request, response);
            return;
        }
        List<String> roles = http.getHeader("X-Roles") == null ? List.of()
                : List.of(http.getHeader("X-Roles").split(","));
        chain.doFilter(new HttpServletRequestWrapper(http) {
            @Override
            public Principal getUserPrincipal() {
                return () -> user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }
        }, response);
    }
}
