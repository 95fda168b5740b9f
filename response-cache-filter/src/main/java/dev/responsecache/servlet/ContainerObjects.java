package dev.responsecache.servlet;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

/**
 * The container's own request and response under the wrappers of filters (the cache's among them): what the
 * container-specific readers ({@link JettyOutput}, {@link JettyForwards}, {@link RefreshForwards}) recognise by class.
 */
final class ContainerObjects {

    private ContainerObjects() {
    }

    static ServletRequest request(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        return inner;
    }

    static ServletResponse response(ServletResponse response) {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        return inner;
    }
}
