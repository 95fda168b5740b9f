package dev.responsecache.contract;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import java.util.EnumSet;

/** Registers {@link KeyRequired} in front of everything through the Servlet API, as a framework's start-up does. */
public class RegistersKeyFilter implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        FilterRegistration.Dynamic key = event.getServletContext().addFilter("key", KeyRequired.class);
        key.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    }
}
