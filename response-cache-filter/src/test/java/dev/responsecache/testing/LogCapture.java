package dev.responsecache.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what one logger (and its children) logs while open, to check how often a fault is reported. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        logger.addHandler(this);
    }

    /** Starts capturing the records of {@code name} at the level configured for it. */
    public static LogCapture of(String name) {
        return new LogCapture(Logger.getLogger(name));
    }

    /** The messages of records at {@code level} or above, captured so far. */
    public List<String> messagesAtLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                .map(LogRecord::getMessage).toList();
    }

    /** The records at {@code level} or above, captured so far, in the order they were logged. */
    public List<LogRecord> recordsAtLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    public void clear() {
        records.clear();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
