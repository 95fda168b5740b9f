package dev.responsecache.jaxrs;

import dev.responsecache.spi.FaultLog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the servlet response holds that the JAX-RS response does not: a resource method (through
 * {@code @Context HttpServletResponse}), or a filter, can write to the servlet response itself, and its client gets
 * that while the cache reads only the JAX-RS response. Found as a request property set by
 * {@link ServletResponseProbe} on a miss that may be stored, in a servlet container; checked before storing.
 */
interface ServletResponseView {

    String PROPERTY = "dev.responsecache.servlet-response";
    /** The request property of the runtime's own response beside the JAX-RS one ({@link ResteasyResponseView}). */
    String RUNTIME_PROPERTY = "dev.responsecache.runtime-response";
    /**
     * The request property holding the {@code Vary} lines the runtime wrote beside the JAX-RS response (to its own
     * response and so, in a servlet container, to the servlet response) and the cache made part of the JAX-RS
     * response (RESTEasy's {@code Request.selectVariant}): no line outside JAX-RS.
     */
    String RUNTIME_VARY = "dev.responsecache.runtime-vary";

    /** The reason for {@code Cache-Status} when a cookie is on the servlet response (as the servlet filter says). */
    String SET_COOKIE = "set-cookie";
    /** The reason when the servlet response was written, committed or given a status or header outside JAX-RS. */
    String WRITTEN_OUTSIDE = "servlet-response";

    /**
     * Why the response must not be stored, or null.
     *
     * @param jaxrsMayHaveWritten whether the runtime may already have copied its response into the servlet response
     *                            (once the body is being written): only a cookie then still tells
     * @param runtimeVary         the {@code Vary} lines the runtime wrote there that the JAX-RS response holds too
     *                            (each counted once)
     */
    String outsideJaxrs(boolean jaxrsMayHaveWritten, List<String> runtimeVary);

    /**
     * {@link #outsideJaxrs} of the view in the request property {@link #PROPERTY}; null without one.
     *
     * @param runtimeVary the request property {@link #RUNTIME_VARY}, or null
     */
    static String outsideJaxrs(Object property, boolean jaxrsMayHaveWritten, Object runtimeVary) {
        List<String> vary = new ArrayList<>();
        if (runtimeVary instanceof List<?> lines) {
            lines.forEach(line -> vary.add(String.valueOf(line)));
        }
        return property instanceof ServletResponseView view ? view.outsideJaxrs(jaxrsMayHaveWritten, vary) : null;
    }

    /**
     * {@code lines} ({@code name: value}, a list of its own) without one {@code Vary} line for each the runtime wrote
     * there and the JAX-RS response holds too.
     */
    static List<String> withoutRuntimeVary(List<String> lines, List<String> runtimeVary) {
        for (String vary : runtimeVary) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).equalsIgnoreCase("Vary: " + vary)) {
                    lines.remove(i);
                    break;
                }
            }
        }
        return lines;
    }

    /**
     * The view {@code reader} notes of the runtime's own response as it is now, or null when it finds none; when the
     * response cannot be read, a view that refuses every response, the fault logged to {@code faults}.
     */
    static ServletResponseView noted(FaultLog faults, Supplier<ServletResponseView> reader) {
        try {
            ServletResponseView view = reader.get();
            if (view != null) {
                faults.succeeded();
            }
            return view;
        } catch (RuntimeException unreadable) {
            faults.failed(unreadable);
            return (jaxrsMayHaveWritten, runtimeVary) -> WRITTEN_OUTSIDE;
        }
    }
}
