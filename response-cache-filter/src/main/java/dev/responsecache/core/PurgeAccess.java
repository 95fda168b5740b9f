package dev.responsecache.core;

import dev.responsecache.spi.PropertyValues;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Who may purge, and what a purge answers: one rule for {@code PURGE <url>} (both adapters) and the purge servlet.
 * Allowed with {@code Authorization: Bearer <token>} (compared in constant time) or, for a user the container
 * authenticated, a role; off (every adapter passes {@code PURGE} on to the application) when neither is configured.
 */
public final class PurgeAccess {

    /** The shortest token accepted: a purge can empty the cache. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** No purge through the cache. */
    public static final PurgeAccess OFF = new PurgeAccess(null, null);

    private final byte[] bearer;
    private final String role;

    private PurgeAccess(byte[] bearer, String role) {
        this.bearer = bearer;
        this.role = role;
    }

    /** From {@code responsecache.purge-token} and {@code responsecache.purge-role}. */
    static PurgeAccess from(PropertyValues properties) {
        return of(ResponseCacheProperties.PURGE_TOKEN, properties.string(ResponseCacheProperties.PURGE_TOKEN),
                ResponseCacheProperties.PURGE_ROLE, properties.string(ResponseCacheProperties.PURGE_ROLE));
    }

    /**
     * @param tokenName how the token is configured, for the error message (its value is never shown)
     * @throws ResponseCacheConfigException for a token shorter than {@link #MIN_TOKEN_LENGTH} or a blank role
     */
    public static PurgeAccess of(String tokenName, String token, String roleName, String role) {
        if (token != null && token.trim().length() < MIN_TOKEN_LENGTH) {
            throw ResponseCacheConfigException.badValue(tokenName, token.trim().length() + " characters",
                    "a secret of at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (role != null && role.isBlank()) {
            throw ResponseCacheConfigException.badValue(roleName, "'" + role + "'", "a role name");
        }
        if (token == null && role == null) {
            return OFF;
        }
        return new PurgeAccess(token == null ? null : ("Bearer " + token.trim()).getBytes(StandardCharsets.UTF_8),
                role == null ? null : role.trim());
    }

    public boolean enabled() {
        return bearer != null || role != null;
    }

    /**
     * Whether this request may purge, or the status refusing it: 401 without credentials or with a wrong token,
     * 403 for an authenticated user without the role.
     *
     * @return 0 when allowed
     */
    public int refusal(String authorization, boolean authenticated, Predicate<String> inRole) {
        if (bearer != null && authorization != null
                && MessageDigest.isEqual(bearer, authorization.trim().getBytes(StandardCharsets.UTF_8))) {
            return 0;
        }
        if (role != null && authenticated && inRole.test(role)) {
            return 0;
        }
        return authenticated && role != null ? 403 : 401;
    }

    /** The challenge of a 401: {@code Bearer} when a token is accepted, else null (the container's login applies). */
    public String challenge() {
        return bearer != null ? "Bearer" : null;
    }

    /** What to answer a request {@link #refusal} refused. */
    public static Reply refused(int status) {
        return new Reply(status, status == 401 ? "purging needs credentials" : "purging needs a role");
    }

    /**
     * Purges {@code target} ({@link ResponseCacheInvalidator#evictRequest}) for a request already allowed, and says
     * what to answer.
     */
    public static Reply purge(ResponseCacheInvalidator invalidator, URI target) {
        return evicted(() -> invalidator.evictRequest(target));
    }

    /** Runs an eviction and says what to answer: its count, 400 for what names nothing, 503 for a store fault. */
    public static Reply evicted(LongSupplier eviction) {
        try {
            return new Reply(200, "removed=" + eviction.getAsLong());
        } catch (IllegalArgumentException e) {
            return new Reply(400, e.getMessage());
        } catch (ResponseCacheInvalidationException e) {
            return new Reply(503, e.remembered()
                    ? "the store failed; the eviction is remembered and replayed as soon as the store answers (until"
                    + " then this instance serves uncached; other instances may serve the entries)"
                    : "the store failed; entries not evicted live at most their ttl (and staleIfError window)");
        }
    }

    /** The answer to a purge: sent as {@code text/plain} with {@code Cache-Control: no-store}. */
    public record Reply(int status, String text) {

        /**
         * The text as a plain-text reply's body: ended by a newline, like a line printed on a terminal, so that
         * {@code curl -X PURGE ...} leaves the prompt on a line of its own. Every adapter sends this.
         */
        public String body() {
            return text + "\n";
        }
    }
}
