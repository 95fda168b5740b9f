package dev.responsecache.jaxrs;

import dev.responsecache.spi.Header;

import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.RuntimeDelegate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * JAX-RS response headers (values of any type) as the text the client receives: every value object of a response
 * header the cache reads as text goes through here, so that what it stores or sends again is what the runtime sends
 * on the miss.
 */
final class JaxrsHeaders {

    /** Where the runtime delegate alone is what the runtime writes with: asked for it at each use. */
    static final JaxrsHeaders RUNTIME_DELEGATE = new JaxrsHeaders(null);

    /** The delegates the runtime asks before its runtime delegate's (null: none), by the value's type. */
    private final Function<Class<?>, RuntimeDelegate.HeaderDelegate<?>> first;

    private JaxrsHeaders(Function<Class<?>, RuntimeDelegate.HeaderDelegate<?>> first) {
        this.first = first;
    }

    /**
     * The headers as the runtime of the application configured by {@code configuration} writes them. On RESTEasy the
     * configuration is the application's provider factory, itself a runtime delegate holding the header delegates
     * the application added ({@code addHeaderDelegate}): RESTEasy writes with it, whereas
     * {@code RuntimeDelegate.getInstance()} answers with it only on a thread serving the application, and with
     * another application's on a thread of the application's own (an {@code AsyncResponse} resumed there).
     */
    static JaxrsHeaders of(Configuration configuration) {
        Function<Class<?>, RuntimeDelegate.HeaderDelegate<?>> first =
                RuntimeIntegration.jerseyHeaderDelegates(configuration);
        if (first == null && configuration instanceof RuntimeDelegate application) {
            first = application::createHeaderDelegate;
        }
        return first != null ? new JaxrsHeaders(first) : RUNTIME_DELEGATE;
    }

    List<Header> toList(MultivaluedMap<String, Object> headers) {
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
     * for a {@code Date}, the ASCII form of a {@code URI}, ...), else {@code toString()}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            RuntimeDelegate.HeaderDelegate delegate = first == null ? null : first.apply(value.getClass());
            if (delegate == null) {
                delegate = RuntimeDelegate.getInstance().createHeaderDelegate(value.getClass());
            }
            if (delegate != null) {
                return delegate.toString(value);
            }
        } catch (IllegalArgumentException unsupported) {
            // a type without a header delegate: JAX-RS writes such values with toString()
        }
        return value.toString();
    }
}
