package dev.responsecache.benchmarks;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * One slow and many fast clients on one cold key: a first client reads a 4 MB cached response at about 40 KB/s while
 * ten fast clients ask for the same URL just after it. Prints how long the fast clients took (they are coalesced
 * behind the slow one), for a storable body ({@code max-body-size} 16 MB) and for one over the limit (1 MB), and how
 * many times the method ran.
 *
 * <p>{@code SlowClientCoalescing [fast-clients=10]}.
 */
final class SlowClientCoalescing {

    static final int BODY = 4 << 20;
    private static final int SLOW_READ = 16 * 1024;
    private static final long SLOW_PAUSE_MILLIS = 400;

    private SlowClientCoalescing() {
    }

    @Path("big")
    public static final class Big {

        private static final byte[] BLOB = Fixtures.body(BODY, 0);
        final AtomicLong runs = new AtomicLong();

        @GET
        @Produces("application/octet-stream")
        @CacheResponse(ttl = 3600)
        public byte[] big() throws InterruptedException {
            runs.incrementAndGet();
            // The method's own work, so that the fast clients arrive while it runs.
            Thread.sleep(100);
            return BLOB;
        }
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int fast = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        Big storable = new Big();
        Big tooLarge = new Big();
        server.setHandler(new ContextHandlerCollection(context("/storable", storable, "16MB"),
                context("/too-large", tooLarge, "1MB")));
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            System.out.printf("one client reading %d MB at ~%d KB/s, %d fast clients just behind it%n", BODY >> 20,
                    SLOW_READ * 1000 / SLOW_PAUSE_MILLIS / 1024, fast);
            run("storable body (max-body-size 16MB)", base, "/storable/big", fast, storable);
            run("body over max-body-size (1MB)", base, "/too-large/big", fast, tooLarge);
        } finally {
            server.stop();
        }
    }

    private static ServletContextHandler context(String path, Big resource, String maxBody) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(path);
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.MAX_BODY_SIZE, maxBody))), "/*");
        return context;
    }

    private static void run(String name, URI base, String path, int fast, Big resource) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Long> slow = CompletableFuture.supplyAsync(() -> slowGet(base, path, start));
        Thread.sleep(30);
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<Long>> fastOnes = new ArrayList<>();
        for (int i = 0; i < fast; i++) {
            long sent = System.nanoTime();
            fastOnes.add(http.sendAsync(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                            .build(), HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(response -> {
                        if (response.body().length != BODY) {
                            throw new IllegalStateException("short body: " + response.body().length);
                        }
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                    }));
        }
        long[] millis = new long[fast];
        for (int i = 0; i < fast; i++) {
            millis[i] = fastOnes.get(i).get(120, TimeUnit.SECONDS);
        }
        Arrays.sort(millis);
        long slowMillis = slow.get(600, TimeUnit.SECONDS);
        System.out.printf("%-36s fast clients: median %5d ms, max %5d ms; slow client %6d ms; method ran %d times%n",
                name, millis[fast / 2], millis[fast - 1], slowMillis, resource.runs.get());
    }

    /** Reads the whole response slowly; returns the milliseconds it took. */
    private static long slowGet(URI base, String path, long start) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setReceiveBufferSize(SLOW_READ);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[SLOW_READ];
            while (in.read(buffer) >= 0) {
                Thread.sleep(SLOW_PAUSE_MILLIS);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
