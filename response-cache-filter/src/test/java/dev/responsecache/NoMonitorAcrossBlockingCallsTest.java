package dev.responsecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A virtual thread that blocks (a socket write, a park, a lock wait) while it holds a monitor, or that waits to enter
 * one, pins its carrier thread on Java 21 to 23: with as many carriers as cores, a few slow clients or one contended
 * monitor stall every request of the application. The classes that write to a client, call Redis, a container or a
 * store, or are entered by every request, therefore guard their state with {@code java.util.concurrent} locks; the
 * few monitors left guard short in-memory bookkeeping only. These rules keep it so: a new {@code synchronized} method
 * or block anywhere in the library fails here until it is judged, and either made a lock or added to
 * {@link #IN_MEMORY_MONITORS} with the reason.
 */
class NoMonitorAcrossBlockingCallsTest {

    private static final Path SOURCES = Path.of("src", "main", "java");

    /** The keyword as code, not in a comment (a line of one) and not {@code Collections.synchronizedMap}. */
    private static final Pattern MONITOR = Pattern.compile("^(?!\\s*(//|\\*|/\\*)).*\\bsynchronized\\b");

    /**
     * Classes that block (client or container I/O, Redis, a store's call, the timer's lock) or are entered by every
     * request under load, where a monitor once was: they hold none.
     */
    private static final List<String> LOCKED = List.of(
            "dev.responsecache.servlet.BodyCapture",
            "dev.responsecache.servlet.DeadlineGate",
            "dev.responsecache.servlet.ErrorReplacingResponse",
            "dev.responsecache.servlet.EvictingBeforeCommit",
            "dev.responsecache.servlet.TeeWriter",
            "dev.responsecache.redis.CircuitBreaker",
            "dev.responsecache.redis.RedisStore",
            "dev.responsecache.redis.RedisConnections",
            "dev.responsecache.core.StaleDeadlines",
            "dev.responsecache.core.Admission",
            "dev.responsecache.core.RememberedEvictions");

    /**
     * The source files that may hold a monitor, each around short in-memory bookkeeping with no blocking call inside
     * (see docs/ARCHITECTURE.md, "Threads and locks").
     */
    private static final Set<String> IN_MEMORY_MONITORS = Set.of(
            // The 304's header list, copied or appended to.
            "dev/responsecache/servlet/NotModifiedResponse.java",
            // The switch to a new primary's connection object; "no I/O under the lock", entered on a failover only.
            "dev/responsecache/redis/SentinelPipelinedReads.java",
            // Log lines of the Sentinel check, on its own platform thread.
            "dev/responsecache/redis/SentinelSwitchLog.java",
            // The nodes refusing the background questions (Sentinel check, slot-map reads), a set and a log line,
            // entered by those platform threads only.
            "dev/responsecache/redis/NodeRefusals.java",
            // One listener set, once at start-up; the threads it starts run outside it.
            "dev/responsecache/redis/RedisEvictionFeed.java",
            // A two-field swap so that an answer is counted once.
            "dev/responsecache/core/Lookup.java",
            // The Bloom filter's rotation, an array swap once per window.
            "dev/responsecache/core/Doorkeeper.java",
            // Copies of a Collections.synchronizedMap of the settings read at start-up, under the map's own monitor.
            "dev/responsecache/core/SharedCache.java",
            "dev/responsecache/core/ResponseCache.java",
            // A key's variant count in a map.
            "dev/responsecache/core/Variants.java");

    @Test
    void classesThatBlockHoldNoMonitor() throws IOException {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.responsecache");
        Set<String> found = new TreeSet<>();
        for (String name : LOCKED) {
            assertTrue(classes.contain(name), name + " was not imported: the list names a class that moved");
            classes.stream()
                    .filter(type -> type.getName().equals(name) || type.getName().startsWith(name + "$"))
                    .flatMap(type -> type.getMethods().stream())
                    .filter(method -> method.getModifiers().contains(JavaModifier.SYNCHRONIZED))
                    .map(JavaMethod::getFullName)
                    .forEach(found::add);
            Path source = SOURCES.resolve(name.replace('.', '/') + ".java");
            found.addAll(monitorLines(source));
        }
        assertEquals(Set.of(), found, "a monitor in a class that blocks under its lock or is entered by every"
                + " request: a virtual request thread pins its carrier there on Java 21 to 23; use a ReentrantLock");
    }

    @Test
    void everyOtherMonitorIsAKnownInMemoryOne() throws IOException {
        Set<String> holding;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            holding = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !monitorLines(file).isEmpty())
                    .map(file -> SOURCES.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        holding.removeAll(IN_MEMORY_MONITORS);
        assertEquals(Set.of(), holding, "a monitor not judged yet: if anything under it can block (I/O, a park, a"
                + " lock, a call into the container, the application or a store) or every request enters it, use a"
                + " ReentrantLock; else list it with the reason");
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.responsecache");
        Set<String> waits = classes.stream()
                .flatMap(type -> type.getMethodCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().isEquivalentTo(Object.class)
                        && call.getName().equals("wait"))
                .map(call -> call.getOrigin().getFullName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), waits, "Object.wait parks holding a monitor: use a Condition or a latch");
    }

    private static List<String> monitorLines(Path source) {
        try {
            List<String> lines = Files.readAllLines(source);
            return lines.stream()
                    .filter(line -> MONITOR.matcher(line).find())
                    .map(line -> source + ": " + line.strip())
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source, e);
        }
    }
}
