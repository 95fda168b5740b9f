package dev.responsecache.jaxrs;

import dev.responsecache.spi.Header;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.RuntimeDelegate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JAX-RS response headers (values of any type) as the text the client receives. */
final class JaxrsHeaders {

    private JaxrsHeaders() {
    }

    static List<Header> toList(MultivaluedMap<String, Object> headers) {
        List<Header> list = new ArrayList<>(headers.size() + 2);
        for (Map.Entry<String, List<Object>> field : headers.entrySet()) {
            for (Object value : field.getValue()) {
                if (value != null) {
                    list.add(new Header(field.getKey(), text(value)));
                }
            }
        }
        return list;
    }

    /**
     * One header value as the runtime writes it: through the runtime's header delegate for its type (an HTTP-date
     * for a {@code Date}, the ASCII form of a {@code URI}, ...), else {@code toString()}. Every value object of a
     * response header the cache reads as text goes through here, so that what it stores or sends again is what the
     * runtime sends on the miss.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            RuntimeDelegate.HeaderDelegate delegate = RuntimeDelegate.getInstance().createHeaderDelegate(value.getClass());
            if (delegate != null) {
                return delegate.toString(value);
            }
        } catch (IllegalArgumentException unsupported) {
            // a type without a header delegate: JAX-RS writes such values with toString()
        }
        return value.toString();
    }
}
