package dev.responsecache.contract;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A failure of the backend that the application maps to a 503 (JAX-RS) or answers with {@code sendError(503)}. */
public final class BackendUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackendUnavailable() {
        super("backend unavailable (mapped)");
    }

    /** The application's mapper: a 503 with a body. */
    @Provider
    public static final class Mapper implements ExceptionMapper<BackendUnavailable> {
        @Override
        public Response toResponse(BackendUnavailable exception) {
            return Response.status(503).entity("backend unavailable").build();
        }
    }
}
