package dev.responsecache.core;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;

/** {@link SeenOriginEntriesContract} on the embedded store. */
class SeenOriginEntriesTest extends SeenOriginEntriesContract {

    @Override
    ResponseStore store() {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    }

    @Override
    String storeName() {
        return "ehcache";
    }
}
