package dev.responsecache.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.server.LocalConnector;

/**
 * A fixed number of requests per path, through Jetty's {@link LocalConnector} on this thread (as {@link HitCpu}), for
 * an instruction counter outside the JVM: {@code benchmarks/callgrind.sh} runs it under Valgrind's callgrind, which
 * counts nothing while the paths warm up, and counts each path's requests alone. Instruction counts do not move with
 * the machine's load, as CPU time does. Before each path's counted requests this prints {@code MEASURE path} and
 * waits for a line on its standard input, after them {@code DONE path} and waits again; a closed input waits for
 * nothing. Usage: {@code HitInstructions [warm-up requests per path=20000] [counted=1000]
 * [paths=/plain,/early/cached,/filtered/page]}.
 */
final class HitInstructions {

    private HitInstructions() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int counted = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        List<String> paths = List.of((args.length > 2 ? args[2] : "/plain,/early/cached,/filtered/page").split(","));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try (BenchApp app = BenchApp.start(0)) {
            run(app, warm, counted, paths, in, System.out);
        }
    }

    /**
     * Every path warmed twice in turn ({@code warm} requests each time), so that the JIT has settled on all of them;
     * then, per path, a quarter of {@code warm} again and {@code counted} requests between the two hand-shakes.
     */
    static void run(BenchApp app, int warm, int counted, List<String> paths, BufferedReader in, PrintStream out)
            throws Exception {
        LocalConnector.LocalEndPoint endPoint = HitCpu.connect(app);
        for (int pass = 0; pass < 2; pass++) {
            for (String path : paths) {
                for (int i = 0; i < warm; i++) {
                    HitCpu.exchange(endPoint, path);
                }
            }
        }
        for (String path : paths) {
            for (int i = 0; i < warm / 4; i++) {
                HitCpu.exchange(endPoint, path);
            }
            handshake(out, "MEASURE " + path, in);
            for (int i = 0; i < counted; i++) {
                HitCpu.exchange(endPoint, path);
            }
            handshake(out, "DONE " + path, in);
        }
        out.println("END");
        out.flush();
    }

    private static void handshake(PrintStream out, String line, BufferedReader in) throws IOException {
        out.println(line);
        out.flush();
        in.readLine();
    }
}
