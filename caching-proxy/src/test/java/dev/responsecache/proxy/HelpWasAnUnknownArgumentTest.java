package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The proxy as an operator runs it, in a JVM of its own, asked for help: {@code --help} and {@code -h} were unknown
 * arguments (exit status 2, "unknown argument '--help'" on stderr). Now they print the usage to stdout, naming the
 * options as the proxy's error lines do ({@code --origin}, {@code --port}), and exit 0 without starting, whatever
 * else is given.
 */
class HelpWasAnUnknownArgumentTest {

    private static final long DEADLINE_SECONDS = 60;

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "--origin=http://localhost:9 --help", "--port=eighty -h"})
    void helpPrintsTheUsageToStdoutAndExitsZero(String arguments) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath, CachingProxy.class.getName()));
        command.addAll(List.of(arguments.split(" ")));
        File out = File.createTempFile("proxy-help", ".out");
        File err = File.createTempFile("proxy-help", ".err");
        out.deleteOnExit();
        err.deleteOnExit();
        Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
        try {
            assertTrue(process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS), "the proxy kept running");
            String printed = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            String errors = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), printed + errors);
            assertEquals("", errors, "nothing on stderr");
            assertTrue(printed.startsWith("Usage: java -jar caching-proxy.jar --origin=<http://host:port>"), printed);
            assertTrue(printed.contains("--port=<port>"), printed);
            assertTrue(printed.contains("-h, --help"), printed);
            assertTrue(printed.contains("-Dresponsecache."), printed);
            assertTrue(!printed.contains("Caching proxy on "), "not started: " + printed);
        } finally {
            process.destroyForcibly();
        }
    }
}
