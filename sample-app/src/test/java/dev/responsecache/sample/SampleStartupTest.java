package dev.responsecache.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The launcher as a newcomer runs it, with a bad setting: it must stop with the reason, not serve 503s. */
class SampleStartupTest {

    /** A generous bound for a JVM to start and fail on a loaded machine; a launcher that keeps running exceeds it. */
    private static final long EXIT_DEADLINE_SECONDS = 60;

    private static Result launch(List<String> jvmOptions, Map<String, String> environment) throws Exception {
        return launch(jvmOptions, environment, List.of());
    }

    private static Result launch(List<String> jvmOptions, Map<String, String> environment, List<String> args)
            throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, SampleServer.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("REDIS_URL");
        builder.environment().put("PORT", "0");
        builder.environment().putAll(environment);
        File output = File.createTempFile("sample", ".log");
        output.deleteOnExit();
        Process process = builder.redirectOutput(output).start();
        try {
            assertTrue(process.waitFor(EXIT_DEADLINE_SECONDS, TimeUnit.SECONDS), "the launcher kept running");
            return new Result(process.exitValue(), Files.readString(output.toPath(),
                    StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int exitCode, String output) {
    }

    @Test
    void badSettingMakesTheLauncherExitNonZeroWithTheMessage() throws Exception {
        Result result = launch(List.of("-Dresponsecache.max-body-size=12XB"), Map.of());
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("Sample app not started: Invalid value for responsecache.max-body-size:"
                + " '12XB'"), result.output());
        assertFalse(result.output().contains("\tat "), "the reason, not stack traces above it:\n" + result.output());
    }

    /**
     * A setting written after the jar ({@code java -jar sample-app.jar -Dresponsecache...}) is a program argument,
     * which the launcher ignored: the sample ran without it and without a word.
     */
    @Test
    void settingWrittenAfterTheJarWasIgnoredWithoutAWord() throws Exception {
        Result result = launch(List.of(), Map.of(), List.of("-Dresponsecache.max-body-size=12XB"));
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().startsWith("Sample app not started: unexpected argument"
                + " '-Dresponsecache.max-body-size=12XB': the sample takes none (JVM options such as"
                + " -Dresponsecache.max-body-size=512KB go before -jar"), result.output());
        assertEquals(1, result.output().lines().count(), "the reason alone:\n" + result.output());
    }

    @Test
    void malformedRedisUrlMakesTheLauncherExitNonZeroWithTheMessage() throws Exception {
        Result result = launch(List.of(), Map.of("REDIS_URL", "redis//localhost:6379"));
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("Sample app not started:"), result.output());
        assertTrue(result.output().contains("responsecache.redis.uri"), result.output());
        assertTrue(result.output().contains("redis//localhost:6379"), result.output());
    }

    @Test
    void portInUsePrintedAStackTraceBeforeTheOneLineReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Result result = launch(List.of(), Map.of("PORT", Integer.toString(taken.getLocalPort())));
            assertEquals(1, result.exitCode(), result.output());
            assertTrue(result.output().contains("Sample app not started: "), result.output());
            assertTrue(result.output().contains(":" + taken.getLocalPort()), result.output());
            assertFalse(result.output().contains("\tat "), "no stack trace above the reason:\n" + result.output());
            // The application starts before the port is bound (SampleBoundItsPortBeforeCheckingItsSettingsTest): the
            // cache's start-up line, then the reason, nothing else.
            List<String> lines = JvmUnsafeNotice.dropped(result.output().lines().toList());
            assertEquals(2, lines.size(), "the cache's line and the reason alone:\n" + result.output());
            assertTrue(lines.get(0).contains(" INFO dev.responsecache: Response cache on: "), result.output());
            assertTrue(lines.get(1).startsWith("Sample app not started: "), result.output());
        }
    }

    @Test
    void samplesLoggingPropertiesAreReadSoTheStartUpLogIsTheCacheLineAlone() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, SampleServer.class.getName()).redirectErrorStream(true);
        builder.environment().remove("REDIS_URL");
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        try {
            List<String> lines = assertTimeoutPreemptively(Duration.ofSeconds(EXIT_DEADLINE_SECONDS), () -> {
                List<String> read = new ArrayList<>();
                try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = output.readLine(); line != null; line = output.readLine()) {
                        read.add(line);
                        if (line.startsWith("Sample app on ") && read.stream().anyMatch(l -> l.contains(
                                "Response cache on:"))) {
                            return read;
                        }
                    }
                }
                return read;
            });
            String log = String.join("\n", lines);
            List<String> logged = JvmUnsafeNotice.dropped(lines);
            assertNotNull(logged.stream().filter(l -> l.contains(" INFO dev.responsecache: Response cache on: "))
                    .findFirst().orElse(null), log);
            assertEquals(2, logged.size(), "the cache's INFO line and the launcher's address, nothing else:\n" + log);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void reasonIsTheConfigurationErrorInsideTheContainersWrapping() throws IOException {
        Exception wrapped = new IOException("startup failed", new IllegalStateException("filter failed",
                new ResponseCacheConfigException("Invalid value for x: 'y'")));
        assertEquals("Invalid value for x: 'y'", SampleServer.reason(wrapped));
    }
}
