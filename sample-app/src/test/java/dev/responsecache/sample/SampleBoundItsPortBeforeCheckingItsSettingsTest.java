package dev.responsecache.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The launcher bound its port before the web application read its settings (Jetty opens its connectors first): a
 * bad setting was checked only with the port taken, so a start that failed on it held the port, accepting
 * connections, while it failed, and with the port in use the operator was told to change the port, and only once
 * that was fixed of the setting. Now the application starts, its settings checked, before the port is bound.
 */
class SampleBoundItsPortBeforeCheckingItsSettingsTest {

    private static final long EXIT_DEADLINE_SECONDS = 60;

    @Test
    void badSettingIsReportedBeforeThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            String classPath = System.getProperty("surefire.test.class.path",
                    System.getProperty("java.class.path"));
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dresponsecache.max-body-size=12XB", "-cp", classPath, SampleServer.class.getName()))
                    .redirectErrorStream(true);
            builder.environment().remove("REDIS_URL");
            builder.environment().put("PORT", Integer.toString(taken.getLocalPort()));
            File output = File.createTempFile("sample", ".log");
            output.deleteOnExit();
            Process process = builder.redirectOutput(output).start();
            try {
                assertTrue(process.waitFor(EXIT_DEADLINE_SECONDS, TimeUnit.SECONDS), "the launcher kept running");
                String printed = Files.readString(output.toPath(), StandardCharsets.UTF_8);
                assertEquals(1, process.exitValue(), printed);
                assertTrue(printed.startsWith("Sample app not started: Invalid value for"
                        + " responsecache.max-body-size: '12XB'"), "the setting, not the port:\n" + printed);
                assertEquals(1, printed.lines().count(), "the reason alone:\n" + printed);
            } finally {
                process.destroyForcibly();
            }
        }
    }
}
