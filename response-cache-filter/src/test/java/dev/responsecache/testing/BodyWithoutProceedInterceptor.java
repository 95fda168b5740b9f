package dev.responsecache.testing;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An application writer interceptor that, for a request sending {@link #OWN_BODY}, writes a body of its own and never
 * calls {@code proceed()}, so no interceptor inside it runs. Outside the cache's package, which it takes for its own.
 */
public final class BodyWithoutProceedInterceptor implements WriterInterceptor {
    /** The request header that has this interceptor write its own body. */
    public static final String OWN_BODY = "X-Own-Body";

    @Context
    private HttpHeaders request;

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (request.getHeaderString(OWN_BODY) != null) {
            context.getOutputStream().write("written without proceed".getBytes(StandardCharsets.UTF_8));
            return;
        }
        context.proceed();
    }
}
