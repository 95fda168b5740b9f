package dev.responsecache.testing;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Observing other threads without sleeping: poll their states with a deadline. */
public final class Threads {

    private Threads() {
    }

    /** Returns once {@code count} threads are in a timed wait inside a class named {@code className}. */
    public static void awaitWaitingIn(String className, int count) {
        // Far beyond any normal wait: threads a loaded machine has not scheduled yet make the test slower, not red.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (waitingIn(className) >= count) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new AssertionError(count + " threads never waited in " + className + " (saw "
                + waitingIn(className) + ")");
    }

    private static int waitingIn(String className) {
        int waiting = 0;
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            if (thread.getKey().getState() != Thread.State.TIMED_WAITING) {
                continue;
            }
            for (StackTraceElement frame : thread.getValue()) {
                if (frame.getClassName().equals(className)) {
                    waiting++;
                    break;
                }
            }
        }
        return waiting;
    }
}
