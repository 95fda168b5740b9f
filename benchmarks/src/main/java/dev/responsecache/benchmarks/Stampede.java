package dev.responsecache.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N clients request one cold key at the same moment; the result says how many times the endpoint's code ran. One
 * run means the cache coalesced them; N means every concurrent miss went to the backend.
 */
final class Stampede {

    /**
     * @param clients concurrent requests
     * @param ok      of which answered 200
     * @param runs    times the endpoint's code ran for them
     */
    record Result(int clients, int ok, long runs) {
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    Stampede(URI base) {
        this.base = base;
    }

    /** Sends {@code clients} concurrent GETs of {@code pathAndQuery} (a key never requested before). */
    Result run(Row row, String pathAndQuery, int clients) throws InterruptedException {
        long before = runs(row);
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(clients);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        ok.incrementAndGet();
                    }
                } catch (IOException e) {
                    // counted as not ok
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            threads.add(thread);
        }
        ready.await();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(clients, ok.get(), runs(row) - before);
    }

    /** The endpoint's run count, read from the app's {@code /stats}. */
    long runs(Row row) {
        try {
            HttpResponse<String> stats = client.send(HttpRequest.newBuilder(base.resolve("/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Runs.parse(stats.body()).getOrDefault(row.runs(), 0L);
        } catch (IOException e) {
            throw new IllegalStateException("could not read /stats", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
