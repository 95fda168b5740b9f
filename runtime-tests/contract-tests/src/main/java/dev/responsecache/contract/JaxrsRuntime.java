package dev.responsecache.contract;

import java.util.Map;

/** How a JAX-RS runtime is deployed as a servlet: its servlet class and the init-params naming the application. */
public interface JaxrsRuntime {

    String servletClass();

    /** The init-params that deploy {@code applicationClass} on a servlet mapped to {@code /api/*}. */
    Map<String, String> initParams(String applicationClass);

    /**
     * Whether the runtime adds no filter, interceptor or dynamic feature of its own to an application, so that the
     * cache can prove a hit skips nothing and answer it before matching or in front of the runtime. RESTEasy adds its
     * {@code CacheControlFeature} (a dynamic feature) to every application, so its hits stay inside the runtime.
     */
    default boolean addsNothingToTheApplication() {
        return true;
    }

    /** The standard {@code jakarta.ws.rs.Application} init-param, as both Jersey's and RESTEasy's servlets read it. */
    static JaxrsRuntime jersey() {
        return new JaxrsRuntime() {
            @Override
            public String servletClass() {
                return "org.glassfish.jersey.servlet.ServletContainer";
            }

            @Override
            public Map<String, String> initParams(String applicationClass) {
                return Map.of("jakarta.ws.rs.Application", applicationClass);
            }
        };
    }

    static JaxrsRuntime resteasy() {
        return new JaxrsRuntime() {
            @Override
            public String servletClass() {
                return "org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher";
            }

            @Override
            public Map<String, String> initParams(String applicationClass) {
                return Map.of("jakarta.ws.rs.Application", applicationClass,
                        "resteasy.servlet.mapping.prefix", "/api");
            }

            @Override
            public boolean addsNothingToTheApplication() {
                return false;
            }
        };
    }
}
