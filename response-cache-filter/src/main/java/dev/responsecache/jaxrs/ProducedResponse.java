package dev.responsecache.jaxrs;

import dev.responsecache.spi.Header;

import java.lang.annotation.Annotation;
import java.util.List;

/**
 * Status and headers as the resource method produced them, before any response filter, the entity it returned
 * (compared by identity with the one written) and the annotations it was to be written with (the method's).
 */
record ProducedResponse(int status, List<Header> headers, Object entity, Annotation[] annotations) {
}
