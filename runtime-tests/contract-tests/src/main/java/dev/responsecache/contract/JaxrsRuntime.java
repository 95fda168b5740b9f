package dev.responsecache.contract;

import java.util.Map;

/** How a JAX-RS runtime is deployed as a servlet: its servlet class and the init-params naming the application. */
public interface JaxrsRuntime {

    String servletClass();

    /** The init-params that deploy {@code applicationClass} on a servlet mapped to {@code /api/*}. */
    Map<String, String> initParams(String applicationClass);

    /**
     * Whether the runtime adds no filter, interceptor or dynamic feature of its own to an application that the cache
     * cannot prove a hit skips harmlessly, so that it answers hits before matching or in front of the runtime. Both
     * Jersey and RESTEasy qualify (RESTEasy's built-in features bind providers only to annotated methods, which the
     * contract's resources do not carry).
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
        };
    }
}
