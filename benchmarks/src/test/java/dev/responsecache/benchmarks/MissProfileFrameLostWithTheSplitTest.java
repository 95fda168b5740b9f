package dev.responsecache.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link MissProfile} gives a sample to a part by the frames on its stack, named {@code SimpleClass.method} as JFR
 * names them. The JAX-RS filter's split moved its first response filter from {@code CachingFilter$Snapshot} to
 * {@code SnapshotFilter}: its samples fell silently to "Jersey: the rest". Every mark names a method that exists.
 */
class MissProfileFrameLostWithTheSplitTest {

    private static final List<String> PACKAGES = List.of("dev.responsecache.core.", "dev.responsecache.jaxrs.",
            "org.glassfish.jersey.internal.inject.");

    @Test
    void everyFrameMarkNamesAMethodThatExists() {
        MissProfile.PARTS.values().stream().flatMap(List::stream).filter(mark -> !mark.isEmpty()).forEach(mark -> {
            String frame = mark.contains("#") ? mark.substring(0, mark.indexOf('#')) : mark;
            String type = frame.substring(0, frame.lastIndexOf('.'));
            String method = frame.substring(frame.lastIndexOf('.') + 1);
            assertTrue(PACKAGES.stream().anyMatch(pkg -> declares(pkg + type, method)), mark + " names no method");
        });
    }

    private static boolean declares(String type, String method) {
        try {
            return Arrays.stream(Class.forName(type, false, MissProfile.class.getClassLoader()).getDeclaredMethods())
                    .map(Method::getName).anyMatch(method::equals);
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }
}
