package dev.responsecache.servlet;

import dev.responsecache.core.PurgeAccess;
import dev.responsecache.core.ResponseCache;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;

/** Answers {@code PURGE <url>} on the URLs behind the filter, when purging is on: evicts that URL's entries. */
final class Purges {

    private Purges() {
    }

    static void answer(ResponseCache cache, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        PurgeAccess access = cache.purgeAccess();
        PurgeAccess.Reply reply = allowed(access, request, response);
        if (reply == null) {
            String query = request.getQueryString();
            String target = request.getRequestURI() + (query == null ? "" : "?" + query);
            reply = PurgeAccess.evicted(() -> cache.invalidator().evictRequest(URI.create(target)));
        }
        send(response, reply);
    }

    /** Null when the request may purge; otherwise the refusal to send (with its challenge set). */
    static PurgeAccess.Reply allowed(PurgeAccess access, HttpServletRequest request, HttpServletResponse response) {
        int refusal = access.refusal(request.getHeader("Authorization"), request.getUserPrincipal() != null,
                request::isUserInRole);
        if (refusal == 0) {
            return null;
        }
        if (refusal == 401 && access.challenge() != null) {
            response.setHeader("WWW-Authenticate", access.challenge());
        }
        return PurgeAccess.refused(refusal);
    }

    static void send(HttpServletResponse response, PurgeAccess.Reply reply) throws IOException {
        response.setStatus(reply.status());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print(reply.body());
    }
}
