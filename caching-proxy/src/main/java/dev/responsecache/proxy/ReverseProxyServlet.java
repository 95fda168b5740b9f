package dev.responsecache.proxy;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Jetty's transparent proxy servlet, with the origin's response fields copied as the origin sent them, and two
 * changes to them:
 * <ul>
 * <li>the fields the origin's {@code Connection} header lists are removed (RFC 9110 7.6.1). Jetty removes only the
 * fixed hop-by-hop names; a listed field concerns the origin's connection to this proxy alone, and passed on it
 * reached the client and the cache, which replayed it on every hit;</li>
 * <li>a {@code Location} or {@code Content-Location} naming the origin's own authority (the origin is asked under its
 * own {@code Host}, and builds absolute URLs from it) names the client's instead, as nginx's default
 * {@code proxy_redirect} does: the client cannot reach the origin's, and the cache invalidates the URI an unsafe
 * request's {@code Location} names (RFC 9111 4.4) only when it names the authority the client asked.</li>
 * </ul>
 */
final class ReverseProxyServlet extends ProxyServlet.Transparent {

    private static final long serialVersionUID = 1L;

    /** How long past its own total timeout a proxied exchange may still take to complete the client's response. */
    static final long COMPLETION_MARGIN_MILLIS = 5_000;

    private final URI origin;

    ReverseProxyServlet(URI origin) {
        this.origin = origin;
    }

    /**
     * Jetty's proxy sets its asynchronous cycle no timeout (0) and times the exchange with the origin itself (its
     * {@code timeout}, 60 s by default), answering 504 past it. Given a container timeout a little longer than that,
     * a cycle the exchange never completed still ends, and the cache bounds the claim of a stale-while-revalidate
     * refresh by it: without one, a refresh to an origin that never answered held its key for the entry's whole
     * window. An exchange that completed already, or a proxy without a total timeout, is left as it is.
     */
    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse proxyResponse)
            throws ServletException, IOException {
        super.service(clientRequest, proxyResponse);
        long timeout = getTimeout();
        if (timeout > 0 && clientRequest.isAsyncStarted()) {
            try {
                clientRequest.getAsyncContext().setTimeout(timeout + COMPLETION_MARGIN_MILLIS);
            } catch (IllegalStateException completed) {
                // The exchange completed meanwhile, on the client's thread: nothing is left to bound.
            }
        }
    }

    /**
     * Each field of the origin's response as it came, one field line each (the first of a name set, the others added,
     * as Jetty does). Jetty's own copy (Jetty 12.1.14) re-serialises every value through
     * {@link HttpField#getValueList()}, a {@code QuotedCSV} parse, joined with {@code ", "}: it removed the spaces
     * around parameters ({@code UpstreamCache; fwd=uri-miss} became {@code UpstreamCache;fwd=uri-miss}) and the quotes
     * of quoted strings ({@code filename="a b.pdf"} became {@code filename=a b.pdf}), and a value that is no list of
     * tokens (the JSON of {@code Report-To}) threw out of the copy, losing it and every field after it. The client got
     * those values, and the cache stored and replayed them; a proxy forwards the fields it does not act on unchanged.
     */
    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse proxyResponse,
                                           Response serverResponse) {
        Set<String> copied = new HashSet<>();
        for (HttpField field : serverResponse.getHeaders()) {
            if (HOP_HEADERS.contains(field.getLowerCaseName())) {
                continue;
            }
            HttpField filtered = filterServerResponseHeader(clientRequest, serverResponse, field);
            if (filtered == null) {
                continue;
            }
            String value = filtered.getValue() == null ? "" : filtered.getValue();
            if (copied.add(filtered.getLowerCaseName())) {
                proxyResponse.setHeader(filtered.getName(), value);
            } else {
                proxyResponse.addHeader(filtered.getName(), value);
            }
        }
    }

    @Override
    protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
                                                   HttpField field) {
        if (listedInConnection(serverResponse, field.getLowerCaseName())) {
            return null;
        }
        HttpField filtered = super.filterServerResponseHeader(clientRequest, serverResponse, field);
        if (filtered != null && (filtered.is("Location") || filtered.is("Content-Location"))) {
            String value = filtered.getValue();
            String client = clientAuthority(clientRequest, value);
            if (client != null) {
                return new HttpField(filtered.getName(), client);
            }
        }
        return filtered;
    }

    private static boolean listedInConnection(Response serverResponse, String name) {
        for (String token : serverResponse.getHeaders().getCSV(HttpHeader.CONNECTION, false)) {
            if (token.trim().toLowerCase(Locale.ROOT).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value} under the client's scheme and authority when it names the origin's; otherwise null. */
    private String clientAuthority(HttpServletRequest clientRequest, String value) {
        URI target;
        URI client;
        try {
            target = URI.create(value.trim());
            client = URI.create(clientRequest.getRequestURL().toString());
        } catch (IllegalArgumentException unparsable) {
            return null;
        }
        if (!target.isAbsolute() || target.getRawAuthority() == null || target.getHost() == null
                || !target.getScheme().equalsIgnoreCase(origin.getScheme())
                || !target.getHost().equalsIgnoreCase(origin.getHost()) || port(target) != port(origin)
                || client.getRawAuthority() == null) {
            return null;
        }
        String rest = value.trim().substring(target.getScheme().length() + 3 + target.getRawAuthority().length());
        return client.getScheme() + "://" + client.getRawAuthority() + rest;
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
