package dev.responsecache.contract;

import dev.responsecache.ResponseCacheProperties;

import java.util.Map;

/** The same application, configured through {@link jakarta.ws.rs.core.Application#getProperties()}. */
public class PropertiesApplication extends ContractApplication {

    @Override
    public Map<String, Object> getProperties() {
        return Map.of(ResponseCacheProperties.STATUS_HEADER, "X-App-Cache",
                ResponseCacheProperties.MAX_BODY_SIZE, "1KB");
    }
}
