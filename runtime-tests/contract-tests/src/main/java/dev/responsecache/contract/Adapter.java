package dev.responsecache.contract;

/** The two ways an application caches: the JAX-RS feature, or the servlet filter in front of a plain servlet. */
public enum Adapter {

    /** {@link ItemsResource} under {@code /api}, cached by the feature. */
    JAXRS("/api") {
        @Override
        WebApp app() {
            return new WebApp().jaxrs(ContractApplication.class);
        }
    },
    /** {@link ReportServlet} under {@code /reports}, cached by a {@code ResponseCacheFilter}. */
    SERVLET("/reports") {
        @Override
        WebApp app() {
            return new WebApp().cacheFilter("reports", "/reports/*", "ttl", "60",
                    "varyBy", "header:Accept-Language");
        }
    };

    private final String prefix;

    Adapter(String prefix) {
        this.prefix = prefix;
    }

    /** The path of {@code endpoint} (such as {@code /items/1}) on this adapter. */
    String path(String endpoint) {
        return prefix + endpoint;
    }

    /** A web application in which this adapter caches the contract's endpoints. */
    abstract WebApp app();
}
