package dev.responsecache.benchmarks;

import java.util.List;

import org.eclipse.jetty.server.LocalConnector;

/**
 * Instructions per request, counted by {@code valgrind --tool=callgrind}: what load on a shared machine does not
 * change, where CPU time moves by 2x between runs. The {@link BenchApp}'s paths through Jetty's {@link LocalConnector}
 * (the whole request, Jetty's parsing and writing, the library's runner in front of Jersey, on this thread), each path
 * warmed, then callgrind's counters zeroed, {@code measured} requests sent and the counters dumped, one dump per path
 * and round, named after them. Run under callgrind with {@code --separate-threads=yes}: this thread's file of each dump
 * holds that path's requests alone; with {@code -XX:+DumpPerfMapAtExit}, the JVM's {@code /tmp/perf-<pid>.map} names
 * the compiled methods behind callgrind's bare addresses. Usage:
 * {@code MissInstructions [warm=2000] [measured=1000] [paths=/api/work?n={fresh},/api/work-cached?n={fresh}]}.
 */
final class MissInstructions {

    private MissInstructions() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        List<String> paths = List.of((args.length > 2 ? args[2]
                : "/api/work?n={fresh},/api/work-cached?n={fresh}").split(","));
        long pid = ProcessHandle.current().pid();
        try (BenchApp app = BenchApp.start(0)) {
            LocalConnector.LocalEndPoint endPoint = HitCpu.connect(app);
            for (int round = 0; round < 3; round++) {
                for (String path : paths) {
                    send(endPoint, path, warm);
                }
            }
            for (int round = 1; round <= 2; round++) {
                for (String path : paths) {
                    send(endPoint, path, warm / 4);
                    callgrind("--zero", pid);
                    send(endPoint, path, measured);
                    callgrind("--dump=round-" + round + "-" + path.replaceAll("[^A-Za-z-]", "_"), pid);
                }
            }
        }
    }

    private static void send(LocalConnector.LocalEndPoint endPoint, String path, int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            HitCpu.exchange(endPoint, path);
        }
    }

    /** Asks callgrind, which runs this JVM, to zero or dump its counters; returns once it has. */
    private static void callgrind(String command, long pid) throws Exception {
        Process control = new ProcessBuilder("callgrind_control", command, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (control.waitFor() != 0) {
            throw new IllegalStateException("callgrind_control " + command + " failed: not run under callgrind?");
        }
    }
}
