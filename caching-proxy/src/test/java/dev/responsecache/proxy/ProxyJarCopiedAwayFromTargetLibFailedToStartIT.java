package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.BufferedReader;
import java.io.IOException;
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

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code caching-proxy.jar} copied elsewhere and run alone: it named its dependencies in {@code target/lib}
 * on its manifest's class path, so a copy stopped with {@code NoClassDefFoundError}. Run by failsafe, after
 * {@code package} built the jar.
 */
class ProxyJarCopiedAwayFromTargetLibFailedToStartIT {

    /** A generous bound for a JVM to start on a loaded machine; a launcher that never prints its line exceeds it. */
    private static final long START_DEADLINE_SECONDS = 60;
    private static final Pattern ADDRESS = Pattern.compile("^Caching proxy on http://localhost:(\\d+)/");
    private static final int MAX_ATTEMPTS = 100_000;

    @Test
    void jarAloneInAnotherDirectoryProxiesAndCaches(@TempDir Path elsewhere) throws Exception {
        Path built = Path.of(System.getProperty("proxy.jar", "target/caching-proxy.jar"));
        assertTrue(Files.isRegularFile(built), "package builds " + built.toAbsolutePath());
        Path copy = Files.copy(built, elsewhere.resolve("caching-proxy.jar"));
        Server origin = origin();
        int originPort = ((ServerConnector) origin.getConnectors()[0]).getLocalPort();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", copy.toString(), "--origin=http://localhost:" + originPort, "--port=0")
                .directory(elsewhere.toFile()).redirectErrorStream(true).start();
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
            Matcher address = ADDRESS.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
            assertTrue(address.find(), "the proxy's address line:\n" + String.join("\n", lines));
            URI page = URI.create("http://127.0.0.1:" + address.group(1) + "/page");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> miss = get(client, page);
            assertEquals(200, miss.statusCode(), miss.body());
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse(null));
            // The proxy's servlet is asynchronous: its entry is stored as the response completes, perhaps after the
            // client read it. Polled with a round trip each, never timed.
            HttpResponse<String> hit = get(client, page);
            for (int attempt = 0; !"HIT".equals(hit.headers().firstValue("X-Cache").orElse("")); attempt++) {
                assertTrue(attempt < MAX_ATTEMPTS, "never a hit: " + hit.headers().map());
                hit = get(client, page);
            }
            assertEquals(miss.body(), hit.body());
        } finally {
            process.destroyForcibly();
            process.waitFor();
            origin.stop();
        }
    }

    private static Server origin() throws Exception {
        Server origin = new Server(0);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.setHeader("Cache-Control", "max-age=60");
                response.getOutputStream().write("from the origin".getBytes(StandardCharsets.UTF_8));
            }
        }), "/*");
        origin.setHandler(context);
        origin.start();
        return origin;
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
