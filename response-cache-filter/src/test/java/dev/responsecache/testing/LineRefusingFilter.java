package dev.responsecache.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A filter whose response wrapper refuses the header lines it is given by name, set or added ({@code setHeader},
 * {@code addHeader}, {@code setIntHeader}), with an {@link IllegalArgumentException}, as a strict wrapper in front of
 * the cache might: one that strips caching hints refuses {@code Age}, a field a hit sets and an application never
 * does, so that a hit written through it fails in the middle of its lines; one that keeps connection-specific fields
 * out of HTTP/2 responses refuses {@code Connection}. Counts its refusals.
 */
public final class LineRefusingFilter implements Filter {

    private final Set<String> refused;
    private final AtomicInteger refusals = new AtomicInteger();

    /** Refuses the lines named (case-insensitive). */
    public LineRefusingFilter(String... names) {
        this.refused = Stream.of(names).map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** How many lines it refused so far. */
    public int refusals() {
        return refusals.get();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, new HttpServletResponseWrapper((HttpServletResponse) response) {
            @Override
            public void setHeader(String name, String value) {
                refuse(name);
                super.setHeader(name, value);
            }

            @Override
            public void addHeader(String name, String value) {
                refuse(name);
                super.addHeader(name, value);
            }

            @Override
            public void setIntHeader(String name, int value) {
                refuse(name);
                super.setIntHeader(name, value);
            }
        });
    }

    private void refuse(String name) {
        if (name != null && refused.contains(name.toLowerCase(Locale.ROOT))) {
            refusals.incrementAndGet();
            throw new IllegalArgumentException(name + " is refused by this response wrapper");
        }
    }
}
