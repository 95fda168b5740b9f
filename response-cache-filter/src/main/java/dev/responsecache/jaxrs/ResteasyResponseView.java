package dev.responsecache.jaxrs;

import dev.responsecache.spi.FaultLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.spi.HttpResponse;
import org.jboss.resteasy.spi.ResteasyProviderFactory;

/**
 * RESTEasy's own response as a {@link ServletResponseView}: a method (or filter) given it by {@code @Context
 * HttpResponse} can put header lines there, a {@code Set-Cookie} line among them, which its client gets beside the
 * JAX-RS response the cache reads and which no hit would carry. Outside a servlet container nothing else shows those
 * lines; in one, they go on to the servlet response, which {@link ServletResponseProbe} watches too, and both say the
 * same. Noted on a miss that may be stored, as the probe notes the servlet response. Loaded only with RESTEasy.
 */
final class ResteasyResponseView implements ServletResponseView {

    private static final FaultLog FAULTS = new FaultLog("response cache (RESTEasy's own response)");

    private final HttpResponse response;
    private final List<String> lines;

    private ResteasyResponseView(HttpResponse response) {
        this.response = response;
        this.lines = lines(response);
    }

    /**
     * RESTEasy's response for this request, noted as it is before the method runs; null without one, or (logged)
     * a view that refuses every response when it cannot be read.
     */
    static ServletResponseView noted() {
        return ServletResponseView.noted(FAULTS, () -> {
            HttpResponse response = ResteasyProviderFactory.getInstance().getContextData(HttpResponse.class);
            return response == null ? null : new ResteasyResponseView(response);
        });
    }

    @Override
    public String outsideJaxrs(boolean jaxrsMayHaveWritten, List<String> runtimeVary) {
        try {
            List<String> now = lines(response);
            for (String line : now) {
                if (line.regionMatches(true, 0, "Set-Cookie:", 0, "Set-Cookie:".length())) {
                    return SET_COOKIE;
                }
            }
            // Once the runtime writes its response, it copies the JAX-RS headers there: only a cookie still tells.
            return jaxrsMayHaveWritten || lines.equals(ServletResponseView.withoutRuntimeVary(now, runtimeVary))
                    ? null : WRITTEN_OUTSIDE;
        } catch (RuntimeException unreadable) {
            FAULTS.failed(unreadable);
            return WRITTEN_OUTSIDE;
        }
    }

    private static List<String> lines(HttpResponse response) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<Object>> header : response.getOutputHeaders().entrySet()) {
            for (Object value : header.getValue()) {
                lines.add(header.getKey() + ": " + value);
            }
        }
        return lines;
    }
}
