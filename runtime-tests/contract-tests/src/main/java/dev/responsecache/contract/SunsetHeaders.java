package dev.responsecache.contract;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.lang.annotation.Annotation;

/**
 * Announces the {@link SunsetOn} of the method whose entity a response carries, as JAX-RS hands a filter and an
 * interceptor the entity's annotations: a {@code Sunset} line from the filter, a {@code Sunset-Written} line from the
 * interceptor. A filter that takes them to be there, as it finds them on every response of a method, failed every
 * RESTEasy hit with a 500: RESTEasy hands a response given to {@code abortWith} without annotations {@code null}.
 */
public class SunsetHeaders implements ContainerResponseFilter, WriterInterceptor {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        // An exception mapper's response has none (null on RESTEasy).
        Annotation[] annotations = response.getEntityAnnotations();
        for (Annotation annotation : annotations == null ? new Annotation[0] : annotations) {
            if (annotation instanceof SunsetOn sunset) {
                response.getHeaders().add("Sunset", sunset.value());
            }
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        Annotation[] annotations = context.getAnnotations();
        for (Annotation annotation : annotations == null ? new Annotation[0] : annotations) {
            if (annotation instanceof SunsetOn sunset) {
                context.getHeaders().add("Sunset-Written", sunset.value());
            }
        }
        context.proceed();
    }
}
