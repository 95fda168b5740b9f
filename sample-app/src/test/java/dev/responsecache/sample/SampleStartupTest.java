package dev.responsecache.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, SampleServer.class.getName()));
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
    void reasonIsTheConfigurationErrorInsideTheContainersWrapping() throws IOException {
        Exception wrapped = new IOException("startup failed", new IllegalStateException("filter failed",
                new ResponseCacheConfigException("Invalid value for x: 'y'")));
        assertEquals("Invalid value for x: 'y'", SampleServer.reason(wrapped));
    }
}
