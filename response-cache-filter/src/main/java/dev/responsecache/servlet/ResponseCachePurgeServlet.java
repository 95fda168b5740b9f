package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.core.Invalidations;
import dev.responsecache.core.PurgeAccess;
import dev.responsecache.core.SharedCache;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;

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
 * {@code POST /cache/purge?tag=product:42&tag=products&path=/shop/products/42&url=/shop/products?page=2} with
 * {@code Authorization: Bearer <token>} evicts those tags, paths and URLs (or {@code ?all=true} everything) and
 * answers {@code 200} with {@code removed=<count>} ({@code -1}: the store cannot tell). Instead of (or besides) the
 * {@code token} (at least 16 characters), a {@code role} init-param admits users the container authenticated with
 * that role ({@code isUserInRole}); one of the two is required: the endpoint can empty the cache. Without the token
 * or the role the answer is {@code 401} ({@code 403} for an authenticated user without the role); nothing to evict is
 * {@code 400}; a store fault is {@code 503}, so that the caller retries.
 */
public final class ResponseCachePurgeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient PurgeAccess access;

    /** Created by the container; configured by its init-params. */
    public ResponseCachePurgeServlet() {
        // nothing to set up before init
    }

    @Override
    public void init() throws ServletException {
        String owner = "servlet '" + getServletName() + "': init-param ";
        try {
            access = PurgeAccess.of(owner + "token", getInitParameter("token"), owner + "role",
                    getInitParameter("role"));
        } catch (ResponseCacheConfigException e) {
            throw refused(e);
        }
        if (!access.enabled()) {
            throw refused(new ResponseCacheConfigException(owner + "token (at least " + PurgeAccess.MIN_TOKEN_LENGTH
                    + " characters) or role is required, was unset"));
        }
    }

    /** Logged where it is refused, as the cache's own settings are, before the container wraps it in its report. */
    private ServletException refused(ResponseCacheConfigException error) {
        ResponseCacheConfigException logged = SharedCache.refused(error, new ServletScope(getServletContext()),
                name -> null);
        return new ServletException(logged.getMessage(), logged);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PurgeAccess.Reply refused = Purges.allowed(access, request, response);
        if (refused != null) {
            Purges.send(response, refused);
            return;
        }
        if (!(getServletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE)
                instanceof ResponseCacheInvalidator invalidator)) {
            Purges.send(response, new PurgeAccess.Reply(503, "no response cache in this application"));
            return;
        }
        String[] tags = request.getParameterValues("tag");
        String[] paths = request.getParameterValues("path");
        String[] urls = request.getParameterValues("url");
        boolean all = "true".equals(request.getParameter("all"));
        if (!all && tags == null && paths == null && urls == null) {
            Purges.send(response,
                    new PurgeAccess.Reply(400, "name what to evict: tag=..., path=..., url=... or all=true"));
            return;
        }
        PurgeAccess.Reply reply = PurgeAccess.evicted(
                () -> all ? invalidator.evictAll() : evicted(invalidator, tags, paths, urls));
        if (reply.status() == 503) {
            log("purge failed: " + reply.text());
        }
        Purges.send(response, reply);
    }

    private static long evicted(ResponseCacheInvalidator invalidator, String[] tags, String[] paths, String[] urls) {
        // Every target checked before anything is evicted: a 400 for a bad one evicts nothing.
        if (paths != null) {
            for (String path : paths) {
                Invalidations.pathTag(path);
            }
        }
        if (urls != null) {
            for (String url : urls) {
                Invalidations.requestTag(URI.create(url));
            }
        }
        long removed = tags == null ? 0 : invalidator.evictTags(tags);
        if (paths != null) {
            for (String path : paths) {
                removed = sum(removed, invalidator.evictPath(path));
            }
        }
        if (urls != null) {
            for (String url : urls) {
                removed = sum(removed, invalidator.evictRequest(URI.create(url)));
            }
        }
        return removed;
    }

    private static long sum(long removed, long count) {
        return removed < 0 || count < 0 ? -1 : removed + count;
    }
}
