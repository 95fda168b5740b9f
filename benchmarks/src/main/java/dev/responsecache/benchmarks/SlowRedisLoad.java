package dev.responsecache.benchmarks;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Slow Redis against dead Redis, in one run: three copies of the realistic cached endpoint, one on a healthy Redis,
 * one on the same Redis behind a relay that delays every reply ({@code +100 ms} by default), one on a port where
 * nothing listens. Closed-loop clients ({@code java.net.http}) drive each in turn for interleaved rounds; prints
 * requests per second, p50/p99/max latency, and the slow/dead ratio.
 *
 * <p>{@code SlowRedisLoad [seconds=10] [clients=16] [rounds=2] [delay-ms=100]}.
 */
final class SlowRedisLoad {

    private SlowRedisLoad() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long delayMillis = args.length > 3 ? Long.parseLong(args[3]) : 100;
        try (RedisProcess redis = RedisProcess.start(); DelayingRelay relay = new DelayingRelay(redis.uri(), delayMillis)) {
            int deadPort;
            try (ServerSocket unused = new ServerSocket(0)) {
                deadPort = unused.getLocalPort();
            }
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new ContextHandlerCollection(
                    context("/healthy", redis.uri()),
                    context("/slow", "redis://127.0.0.1:" + relay.port()),
                    context("/dead", "redis://127.0.0.1:" + deadPort)));
            server.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
                String[] rows = {"healthy", "slow", "dead"};
                System.out.printf("realistic cached endpoint, %d clients, %d s per row, %d rounds, slow = +%d ms%n",
                        clients, seconds, rounds, delayMillis);
                for (String row : rows) {
                    drive(base.resolve("/" + row + "/realistic-cached"), clients, 2);
                }
                double[] rates = new double[rows.length];
                for (int round = 1; round <= rounds; round++) {
                    for (int i = 0; i < rows.length; i++) {
                        Result result = drive(base.resolve("/" + rows[i] + "/realistic-cached"), clients, seconds);
                        rates[i] += result.perSecond() / rounds;
                        System.out.printf("round %d %-8s %8.0f req/s  p50 %6.1f ms  p99 %6.1f ms  max %7.1f ms%n",
                                round, rows[i], result.perSecond(), result.percentile(50), result.percentile(99),
                                result.percentile(100));
                    }
                }
                System.out.printf("mean req/s: healthy %.0f, slow %.0f, dead %.0f; slow/dead = %.2f%n", rates[0],
                        rates[1], rates[2], rates[1] / rates[2]);
            } finally {
                server.stop();
            }
        }
    }

    private static ServletContextHandler context(String path, String redisUri) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(path);
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig()
                .register(new BenchResource(new Runs(), ""))
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, redisUri)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, path.substring(1) + ":"))), "/*");
        return context;
    }

    private record Result(long requests, long nanos, long[] latencies) {
        double perSecond() {
            return requests * 1e9 / nanos;
        }

        double percentile(int p) {
            if (latencies.length == 0) {
                return 0;
            }
            int index = Math.min(latencies.length - 1, (int) Math.ceil(p / 100.0 * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1e6;
        }
    }

    private static Result drive(URI uri, int clients, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<List<Long>> perClient = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<Long> latencies = new ArrayList<>();
            perClient.add(latencies);
            pool.execute(() -> {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                    } catch (IOException e) {
                        continue;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    latencies.add(System.nanoTime() - start);
                }
            });
        }
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        running.set(false);
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        long[] all = perClient.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
        Arrays.sort(all);
        return new Result(all.length, elapsed, all);
    }

    /** Relays connections to Redis, holding every reply back for a fixed delay: a Redis that answers slowly. */
    private static final class DelayingRelay implements AutoCloseable {

        private final ServerSocket listener;
        private final InetSocketAddress target;
        private final long delayMillis;

        DelayingRelay(String redisUri, long delayMillis) throws IOException {
            URI uri = URI.create(redisUri);
            this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
            this.delayMillis = delayMillis;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "delaying-relay");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket();
                    server.connect(target, 2000);
                    pump(client, server, 0);
                    pump(server, client, delayMillis);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(Socket from, Socket to, long delayMillis) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        if (delayMillis > 0) {
                            Thread.sleep(delayMillis);
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (IOException | InterruptedException e) {
                    // the relayed connection is over
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // closing is best effort
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
