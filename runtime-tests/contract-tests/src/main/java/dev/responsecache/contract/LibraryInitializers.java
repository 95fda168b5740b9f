package dev.responsecache.contract;

import jakarta.servlet.ServletContainerInitializer;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code ServletContainerInitializer}s this library ships, found in {@code META-INF/services} as a container's
 * scan of the application's jars finds them: for embedded containers that do not scan.
 */
public final class LibraryInitializers {

    private LibraryInitializers() {
    }

    public static List<ServletContainerInitializer> found() {
        return ServiceLoader.load(ServletContainerInitializer.class).stream()
                .filter(provider -> provider.type().getName().startsWith("dev.responsecache."))
                .map(ServiceLoader.Provider::get)
                .toList();
    }
}
