package dev.responsecache.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code sample-app.jar} as a newcomer runs it after copying it elsewhere: it named its dependencies in
 * {@code target/lib} on its manifest's class path, so a copy alone stopped with {@code NoClassDefFoundError}. Run by
 * failsafe, after {@code package} built the jar.
 */
class JarCopiedAwayFromTargetLibFailedToStartIT {

    /** A generous bound for a JVM to start on a loaded machine; a launcher that never prints its line exceeds it. */
    private static final long START_DEADLINE_SECONDS = 60;
    private static final Pattern ADDRESS = Pattern.compile("^Sample app on http://localhost:(\\d+)/");

    @Test
    void jarAloneInAnotherDirectoryServesTheSampleWithItsCache(@TempDir Path elsewhere) throws Exception {
        Path built = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        assertTrue(Files.isRegularFile(built), "package builds " + built.toAbsolutePath());
        Path copy = Files.copy(built, elsewhere.resolve("sample-app.jar"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", copy.toString()).directory(elsewhere.toFile()).redirectErrorStream(true);
        builder.environment().remove("REDIS_URL");
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        try {
            List<String> lines = assertTimeoutPreemptively(Duration.ofSeconds(START_DEADLINE_SECONDS), () -> {
                List<String> read = new ArrayList<>();
                BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    read.add(line);
                    if (ADDRESS.matcher(line).find()) {
                        break;
                    }
                }
                return read;
            });
            String log = String.join("\n", lines);
            Matcher address = ADDRESS.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
            assertTrue(address.find(), "the launcher's address line:\n" + log);
            assertNotNull(lines.stream().filter(l -> l.contains(" INFO dev.responsecache: Response cache on: "))
                    .findFirst().orElse(null), log);
            URI base = URI.create("http://127.0.0.1:" + address.group(1));
            HttpClient client = HttpClient.newHttpClient();
            // The JAX-RS resource (Jersey, the feature, Jackson) and the servlet filter's report (web.xml).
            for (String path : List.of("/api/products/3", "/reports/tools")) {
                HttpResponse<String> miss = get(client, base.resolve(path));
                HttpResponse<String> hit = get(client, base.resolve(path));
                assertEquals(200, miss.statusCode(), path + ": " + miss.body());
                assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse(null), path);
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse(null), path);
                assertEquals(miss.body(), hit.body(), path);
            }
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
