package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;

import org.glassfish.hk2.utilities.binding.AbstractBinder;

/**
 * Binds the invalidator in Jersey's injection manager, so that resources get it through
 * {@code @Context ResponseCacheInvalidator} (and {@code @Inject}). HK2's binder rather than Jersey's internal one, which Jersey 4 no longer has: Jersey
 * injects through HK2 on both. Loaded only when Jersey and HK2 are present.
 */
final class JerseyInvalidatorBinder extends AbstractBinder {

    private final ResponseCacheInvalidator invalidator;

    JerseyInvalidatorBinder(ResponseCacheInvalidator invalidator) {
        this.invalidator = invalidator;
    }

    @Override
    protected void configure() {
        bind(invalidator).to(ResponseCacheInvalidator.class);
    }
}
