package dev.responsecache.spi;

/**
 * Creates a store by name. Providers are found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.responsecache.spi.ResponseStoreProvider}. The store named by
 * {@code responsecache.store} is created once per application, at start-up, and once more when another component's
 * setting opens the application's cache again (see {@link ResponseStore#startedInPlaceOf}).
 */
public interface ResponseStoreProvider {

    /** The value of {@code responsecache.store} that selects this provider, e.g. {@code ehcache}. */
    String name();

    /**
     * Creates the store. Must validate its own properties and throw
     * {@link dev.responsecache.ResponseCacheConfigException} naming the property and value when one is bad. Should
     * not fail because a remote server is unreachable: the cache then runs uncached until it is reachable.
     */
    ResponseStore create(StoreContext context);

    /**
     * Checks the value of each of this store's settings that is given, and nothing else: it opens nothing (no
     * connection, no name lookup, no file) and requires nothing. Called at start-up for every provider on the class
     * path, whatever store is chosen and also when the cache is off ({@code responsecache.enabled=false}), so that a
     * bad value kept in a configuration shared by several environments fails the first start-up rather than the one
     * that uses this store. Default: nothing to check.
     *
     * @throws dev.responsecache.ResponseCacheConfigException naming the property and value when one is bad
     */
    default void checkSettings(PropertyValues properties) {
        // a store of one's own may check its keys under responsecache.<its name>. here
    }
}
