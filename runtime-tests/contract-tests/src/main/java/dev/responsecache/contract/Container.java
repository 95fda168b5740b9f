package dev.responsecache.contract;

import jakarta.servlet.ServletContext;

import java.net.URI;

/** A servlet container that deploys a {@link WebApp} with a {@link JaxrsRuntime}, started on a free local port. */
public interface Container {

    /** Starts the application; a start-up failure is thrown. */
    Deployed deploy(WebApp app, JaxrsRuntime runtime) throws Exception;

    /** A started application; closing it stops the application and the server. */
    interface Deployed extends AutoCloseable {

        URI base();

        ServletContext servletContext();

        /** Stops the application and the server; a failure to stop is thrown unchecked. */
        @Override
        void close();
    }
}
