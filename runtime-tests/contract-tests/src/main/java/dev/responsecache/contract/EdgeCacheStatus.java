package dev.responsecache.contract;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** An edge layer of the application's own: it adds its {@code Cache-Status} member to every response, hits included. */
public class EdgeCacheStatus implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().add("Cache-Status", "AppEdge; note");
    }
}
