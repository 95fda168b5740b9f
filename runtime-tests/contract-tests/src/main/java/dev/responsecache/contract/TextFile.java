package dev.responsecache.contract;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small text file, written once per JVM, for the methods that return a {@code File} entity. */
final class TextFile {

    static final String TEXT = "0123456789abcdefghij";
    static final File FILE = written();

    private TextFile() {
    }

    private static File written() {
        try {
            Path path = Files.createTempFile("contract-", ".txt");
            Files.writeString(path, TEXT, StandardCharsets.US_ASCII);
            path.toFile().deleteOnExit();
            return path.toFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
