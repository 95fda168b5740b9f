package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ResponseCacheInvalidator;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An endpoint for operators (a CMS webhook, a deploy script) to evict entries, off unless mapped in {@code web.xml}:
 * <pre>{@code
 * <servlet>
 *   <servlet-name>purge</servlet-name>
 *   <servlet-class>dev.responsecache.servlet.ResponseCachePurgeServlet</servlet-class>
 *   <init-param><param-name>token</param-name><param-value>a long random secret</param-value></init-param>
 * </servlet>
 * <servlet-mapping><servlet-name>purge</servlet-name><url-pattern>/cache/purge</url-pattern></servlet-mapping>
 * }</pre>
 * {@code POST /cache/purge?tag=product:42&tag=products&path=/shop/products/42} with
 * {@code Authorization: Bearer <token>} evicts those tags and paths (or {@code ?all=true} everything) and answers
 * {@code 200} with {@code removed=<count>} ({@code -1}: the store cannot tell). A missing or wrong token is
 * {@code 401}; nothing to evict is {@code 400}; a store fault is {@code 503}, so that the caller retries. The
 * {@code token} init-param is required (at least 16 characters): the endpoint can empty the cache.
 */
public final class ResponseCachePurgeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int MIN_TOKEN_LENGTH = 16;

    private transient byte[] token;

    @Override
    public void init() throws ServletException {
        String configured = getInitParameter("token");
        if (configured == null || configured.trim().length() < MIN_TOKEN_LENGTH) {
            throw new ServletException("servlet '" + getServletName() + "': init-param token must be at least "
                    + MIN_TOKEN_LENGTH + " characters, was " + (configured == null ? "unset"
                    : configured.trim().length() + " characters"));
        }
        token = ("Bearer " + configured.trim()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null
                || !MessageDigest.isEqual(token, authorization.trim().getBytes(StandardCharsets.UTF_8))) {
            response.setHeader("WWW-Authenticate", "Bearer");
            response.sendError(401);
            return;
        }
        if (!(getServletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE)
                instanceof ResponseCacheInvalidator invalidator)) {
            answer(response, 503, "no response cache in this application");
            return;
        }
        String[] tags = request.getParameterValues("tag");
        String[] paths = request.getParameterValues("path");
        boolean all = "true".equals(request.getParameter("all"));
        if (!all && tags == null && paths == null) {
            answer(response, 400, "name what to evict: tag=..., path=... or all=true");
            return;
        }
        try {
            long removed = all ? invalidator.evictAll() : evicted(invalidator, tags, paths);
            answer(response, 200, "removed=" + removed);
        } catch (IllegalArgumentException e) {
            answer(response, 400, e.getMessage());
        } catch (ResponseCacheInvalidationException e) {
            log("purge failed", e);
            answer(response, 503,
                    "the store failed; entries not evicted live at most their ttl (and staleIfError window)");
        }
    }

    private static long evicted(ResponseCacheInvalidator invalidator, String[] tags, String[] paths) {
        long removed = tags == null ? 0 : invalidator.evictTags(tags);
        if (paths != null) {
            for (String path : paths) {
                long count = invalidator.evictPath(path);
                removed = removed < 0 || count < 0 ? -1 : removed + count;
            }
        }
        return removed;
    }

    private static void answer(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print(text);
    }
}
