package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.core.CacheHealth;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SharedCache;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * An optional probe endpoint, off unless declared (in {@code web.xml} or with {@code ServletContext#addServlet}):
 * {@code GET} answers the cache's {@link CacheHealth} as JSON, e.g.
 * {@code {"status":"UP","store":{"reachable":false,"breaker":"open","failingCalls":0,"lastFault":"..."}}}.
 *
 * <p>It answers 200 whatever the store's state: a cache outage serves requests uncached and must not take the
 * application out of its load balancer. Only with the init-param {@code fail-when-store-unreachable=true}, for a
 * probe that watches the store itself and not the application's readiness, is an unreachable store a 503.
 */
public final class ResponseCacheHealthServlet extends HttpServlet {

    /** Init-param: {@code true} answers 503 while the store is unreachable. Default {@code false}. */
    public static final String FAIL_WHEN_STORE_UNREACHABLE = "fail-when-store-unreachable";

    private static final long serialVersionUID = 1L;

    private boolean failWhenUnreachable;

    /** Created by the container; configured by its init-params. */
    public ResponseCacheHealthServlet() {
        // nothing to set up before init
    }

    @Override
    public void init() {
        String value = getInitParameter(FAIL_WHEN_STORE_UNREACHABLE);
        if (value != null && !value.equals("true") && !value.equals("false")) {
            // Logged where it is refused, as the cache's own settings are, before the container wraps it.
            throw SharedCache.refused(ResponseCacheConfigException.badValue(FAIL_WHEN_STORE_UNREACHABLE, value,
                    "true or false"), new ServletScope(getServletContext()), name -> null);
        }
        failWhenUnreachable = "true".equals(value);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ResponseCache cache = SharedCache.current(new ServletScope(getServletContext()));
        String body;
        int status = HttpServletResponse.SC_OK;
        if (cache == null) {
            body = "{\"status\":\"UP\",\"cache\":\"off\"}";
        } else {
            CacheHealth health = cache.health();
            body = health.toJson();
            if (failWhenUnreachable && !health.storeReachable()) {
                status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            }
        }
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body);
    }
}
