package dev.responsecache.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** Entity tags: derived from the body for entries without one, and matched against {@code If-None-Match}. */
final class ETags {

    /**
     * One digest per thread, reset by each {@code digest()}: {@code MessageDigest.getInstance} searches the security
     * providers on every call, which cost more than hashing a small body.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(ETags::sha256);
    private static final Base64.Encoder TAG_TEXT = Base64.getUrlEncoder().withoutPadding();

    private ETags() {
    }

    /**
     * A strong tag from the first 128 bits of the body's SHA-256: identical bytes give the identical tag on every
     * instance and after every restart, which per-instance counters or hash codes would not.
     */
    static String strongFromBody(byte[] body, int length) {
        MessageDigest sha256 = SHA_256.get();
        byte[] digest;
        try {
            sha256.update(body, 0, length);
            digest = sha256.digest();
        } catch (RuntimeException e) {
            // Left mid-update, it would hash the next body with this one's bytes in front.
            sha256.reset();
            throw e;
        }
        return '"' + TAG_TEXT.encodeToString(Arrays.copyOf(digest, 16)) + '"';
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** RFC 9110 13.1.2: {@code If-None-Match} uses the weak comparison; {@code *} matches any current entity. */
    static boolean noneMatchHits(String ifNoneMatch, String etag) {
        return EntityTags.listNames(ifNoneMatch, etag);
    }
}
