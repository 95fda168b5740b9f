package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The proxy as an operator runs it: {@code java -jar caching-proxy.jar --origin=...}, in a JVM of its own. */
class CachingProxyStartupTest {

    /** A generous bound for a JVM to start on a loaded machine; a launcher that never prints its line exceeds it. */
    private static final long START_DEADLINE_SECONDS = 60;

    @Test
    void jettyAndEhcacheInfoLinesFilledTheStartUpLogAroundTheProxysLineAndTheCachesLine() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // The origin is never called: starting the proxy does not contact it.
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, CachingProxy.class.getName(), "--origin=http://localhost:9", "--port=0")
                .redirectErrorStream(true);
        Process process = builder.start();
        try {
            List<String> lines = assertTimeoutPreemptively(Duration.ofSeconds(START_DEADLINE_SECONDS), () -> {
                List<String> read = new ArrayList<>();
                try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = output.readLine(); line != null; line = output.readLine()) {
                        read.add(line);
                        if (line.startsWith("Caching proxy on ")) {
                            return read;
                        }
                    }
                }
                return read;
            });
            String log = String.join("\n", lines);
            List<String> logged = JvmUnsafeNotice.dropped(lines);
            assertTrue(logged.stream().anyMatch(l -> l.contains(" INFO dev.responsecache: Response cache on: ")), log);
            assertTrue(logged.get(logged.size() - 1).startsWith("Caching proxy on http://localhost:"), log);
            assertEquals(2, logged.size(), "the cache's INFO line and the proxy's address, nothing else:\n" + log);
        } finally {
            process.destroyForcibly();
        }
    }

    /** The proxy's output and exit status, run with {@code jvmOptions} and {@code args} until it exits. */
    private static Result launch(List<String> jvmOptions, String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, CachingProxy.class.getName()));
        command.addAll(List.of(args));
        File output = File.createTempFile("proxy", ".log");
        output.deleteOnExit();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
        try {
            assertTrue(process.waitFor(START_DEADLINE_SECONDS, TimeUnit.SECONDS), "the proxy kept running");
            return new Result(process.exitValue(), Files.readString(output.toPath(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int exitCode, String output) {
    }

    /**
     * A port in use ended in Jetty's {@code IOException: Failed to bind} with every frame of {@code main} below it.
     * Now one line, as for a bad {@code --port}: the argument, the port, and why Jetty could not listen on it.
     */
    @Test
    void portInUsePrintedAStackTraceInsteadOfOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Result result = launch(List.of(), "--origin=http://localhost:9", "--port=" + port);
            String printed = result.output();
            assertEquals(2, result.exitCode(), printed);
            // The context starts before the port is bound (the cache's settings checked first): the cache's start-up
            // line, then the reason, nothing else.
            List<String> lines = JvmUnsafeNotice.dropped(printed.lines().toList());
            assertEquals(2, lines.size(), "the cache's line and the reason alone:\n" + printed);
            assertTrue(lines.get(0).contains(" INFO dev.responsecache: Response cache on: "), printed);
            assertTrue(lines.get(1).startsWith("Caching proxy not started: --port: cannot listen on " + port + " ("),
                    printed);
            assertTrue(printed.contains("Address already in use"), printed);
            assertFalse(printed.contains("\tat "), printed);
        }
    }

    /** A bad {@code responsecache.*} setting, the same: the cache's own message (property and value), one line. */
    @Test
    void badCacheSettingPrintedAStackTraceInsteadOfOneLine() throws Exception {
        Result result = launch(List.of("-Dresponsecache.max-body-size=4XB"), "--origin=http://localhost:9",
                "--port=0");
        String printed = result.output();
        assertEquals(2, result.exitCode(), printed);
        assertEquals(1, printed.lines().count(), "the reason alone:\n" + printed);
        assertTrue(printed.startsWith("Caching proxy not started: Invalid value for responsecache.max-body-size:"
                + " '4XB' ("), printed);
        assertFalse(printed.contains("\tat "), printed);
    }

    /**
     * Jetty bound the port before the cache read its settings: with the port in use too, the operator was told of the
     * port, and of the bad setting only once that was fixed; a start failing on the setting held the port meanwhile.
     */
    @Test
    void badCacheSettingWasHiddenBehindAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Result result = launch(List.of("-Dresponsecache.max-body-size=4XB"), "--origin=http://localhost:9",
                    "--port=" + taken.getLocalPort());
            String printed = result.output();
            assertEquals(2, result.exitCode(), printed);
            assertEquals(1, printed.lines().count(), "the reason alone:\n" + printed);
            assertTrue(printed.startsWith("Caching proxy not started: Invalid value for"
                    + " responsecache.max-body-size: '4XB' ("), printed);
        }
    }

    /**
     * A bad {@code --origin} or {@code --port} ended in {@code main}'s stack trace: the operator had to find the
     * argument in it. Now one line names the argument and its value, and the launcher exits non-zero.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--origin=ftp://localhost:9 | --port=0     | --origin: bad value 'ftp://localhost:9'",
        "--origin=http://[::1       | --port=0     | --origin: bad value 'http://[::1'",
        "--origin=http://localhost:9 | --port=70000 | --port: bad value '70000'",
        "--origin=http://localhost:9 | --port=eighty | --port: bad value 'eighty'",
    })
    void badOriginOrPortArgumentEndedInAStackTrace(String origin, String port, String reason) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        File output = File.createTempFile("proxy", ".log");
        output.deleteOnExit();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, CachingProxy.class.getName(), origin, port)
                .redirectErrorStream(true).redirectOutput(output).start();
        try {
            assertTrue(process.waitFor(START_DEADLINE_SECONDS, TimeUnit.SECONDS), "the proxy kept running");
            String printed = Files.readString(output.toPath(), StandardCharsets.UTF_8);
            assertTrue(process.exitValue() != 0, printed);
            assertEquals(1, printed.lines().count(), "the reason alone:\n" + printed);
            assertTrue(printed.startsWith("Caching proxy not started: " + reason), printed);
            assertFalse(printed.contains("\tat "), printed);
        } finally {
            process.destroyForcibly();
        }
    }
}
