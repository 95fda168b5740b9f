package dev.responsecache.core;

/**
 * Whether a request carries content: a GET answered from its body (a search taking its query as one, as some APIs
 * do, or a servlet reading it) depends on bytes no part of the key holds, so two such requests with different bodies
 * would share one entry. Such a request is neither answered from the cache nor stored.
 */
final class RequestContent {

    private RequestContent() {
    }

    /**
     * True for a {@code Content-Length} other than zero (a malformed or repeated one included) or any
     * {@code Transfer-Encoding}, which is how HTTP/1.1 frames a request body.
     */
    static boolean carried(CacheRequest request) {
        // In lower case, as Jersey looks header names up: a name with capitals costs it a copy on every lookup.
        return request.header("transfer-encoding") != null || !zero(request.header("content-length"));
    }

    private static boolean zero(String length) {
        if (length == null) {
            return true;
        }
        String value = length.trim();
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
