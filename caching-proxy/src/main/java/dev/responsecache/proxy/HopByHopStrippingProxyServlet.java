package dev.responsecache.proxy;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Locale;

import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Jetty's transparent proxy servlet, which also removes the fields the origin's {@code Connection} header lists from
 * the response (RFC 9110 7.6.1). Jetty removes only the fixed hop-by-hop names; a listed field concerns the origin's
 * connection to this proxy alone, and passed on it reached the client and the cache, which replayed it on every hit.
 */
final class HopByHopStrippingProxyServlet extends ProxyServlet.Transparent {

    private static final long serialVersionUID = 1L;

    @Override
    protected HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
                                                   HttpField field) {
        if (listedInConnection(serverResponse, field.getLowerCaseName())) {
            return null;
        }
        return super.filterServerResponseHeader(clientRequest, serverResponse, field);
    }

    private static boolean listedInConnection(Response serverResponse, String name) {
        for (String token : serverResponse.getHeaders().getCSV(HttpHeader.CONNECTION, false)) {
            if (token.trim().toLowerCase(Locale.ROOT).equals(name)) {
                return true;
            }
        }
        return false;
    }
}
