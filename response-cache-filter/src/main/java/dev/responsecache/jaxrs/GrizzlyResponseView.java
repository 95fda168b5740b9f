package dev.responsecache.jaxrs;

import dev.responsecache.spi.FaultLog;

import java.util.ArrayList;
import java.util.List;

import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Grizzly's own response, where Jersey runs on Grizzly without a servlet container, as a {@link ServletResponseView}:
 * a method given Grizzly's request ({@code @Context Request}) can put header lines on its response, which the client
 * gets beside the JAX-RS response the cache reads and which no hit would carry (a token the page embeds, say). Any
 * line put there keeps the response out, as a line put on the servlet response does in a servlet container (a
 * cookie there, a new session's among them, {@link GrizzlySessionProbe} already sees). Loaded only with Grizzly.
 */
final class GrizzlyResponseView implements ServletResponseView {

    private static final FaultLog FAULTS = new FaultLog("response cache (Grizzly's response, JAX-RS)");

    private final Response response;
    private final List<String> lines;

    private GrizzlyResponseView(Response response) {
        this.response = response;
        this.lines = lines(response);
    }

    /** Grizzly's response to {@code request} as it is now; a view refusing every response when it cannot be read. */
    static ServletResponseView noted(Request request) {
        return ServletResponseView.noted(FAULTS, () -> new GrizzlyResponseView(request.getResponse()));
    }

    @Override
    public String outsideJaxrs(boolean jaxrsMayHaveWritten, List<String> runtimeVary) {
        try {
            if (response.containsHeader("Set-Cookie")) {
                return SET_COOKIE;
            }
            // Once Jersey writes its response, it copies the JAX-RS headers there: only a cookie still tells.
            return jaxrsMayHaveWritten || lines.equals(lines(response)) ? null : WRITTEN_OUTSIDE;
        } catch (RuntimeException unreadable) {
            FAULTS.failed(unreadable);
            return WRITTEN_OUTSIDE;
        }
    }

    private static List<String> lines(Response response) {
        List<String> lines = new ArrayList<>();
        for (String name : response.getHeaderNames()) {
            for (String value : response.getHeaderValues(name)) {
                lines.add(name + ": " + value);
            }
        }
        return lines;
    }
}
