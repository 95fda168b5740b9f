package dev.responsecache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Certificates for a TLS Redis, made by the JDK's own {@code keytool} (no external tool): a CA, a server certificate
 * for {@code localhost} and {@code 127.0.0.1} signed by it, a client key store signed by it, and an unrelated CA.
 * Redis reads PEM files; Java reads the PKCS12 stores.
 */
public final class TestCertificates {

    public static final String PASSWORD = "changeit";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates generated() {
        try {
            TestCertificates certificates = new TestCertificates(Files.createTempDirectory("redis-tls"));
            certificates.generate();
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Independent keytool runs go in parallel: each is a JVM start, the slow part on a busy machine. */
    private void generate() throws IOException, GeneralSecurityException {
        parallel(() -> keyPair("ca.p12", "ca", "CN=Response Cache Test CA", "bc:c"),
                () -> keyPair("other-ca.p12", "ca", "CN=Some Other CA", "bc:c"),
                () -> keyPair("server.p12", "server", "CN=localhost", null),
                () -> keyPair("client.p12", "client", "CN=response-cache", null));
        pem(certificate("ca.p12", "ca").getEncoded(), "CERTIFICATE", "ca.crt");
        pem(certificate("other-ca.p12", "ca").getEncoded(), "CERTIFICATE", "other-ca.crt");
        pem(key("server.p12", "server").getEncoded(), "PRIVATE KEY", "server.key");
        parallel(() -> request("server.p12", "server"), () -> request("client.p12", "client"));
        parallel(() -> sign("server", "server.crt", "SAN=dns:localhost,ip:127.0.0.1"),
                () -> sign("client", "client.crt", "EKU=clientAuth"));
        // The client's key with its signed certificate and the CA, as a client key store holds them.
        KeyStore client = load("client.p12");
        Key clientKey = client.getKey("client", PASSWORD.toCharArray());
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate signed;
        try (InputStream in = Files.newInputStream(dir.resolve("client.crt"))) {
            signed = x509.generateCertificate(in);
        }
        client.setKeyEntry("client", clientKey, PASSWORD.toCharArray(),
                new Certificate[] {signed, certificate("ca.p12", "ca")});
        try (OutputStream out = Files.newOutputStream(dir.resolve("client.p12"))) {
            client.store(out, PASSWORD.toCharArray());
        }
    }

    private static void parallel(Runnable... steps) {
        CompletableFuture<?>[] running = new CompletableFuture<?>[steps.length];
        for (int i = 0; i < steps.length; i++) {
            running[i] = CompletableFuture.runAsync(steps[i]);
        }
        CompletableFuture.allOf(running).join();
    }

    /** PEM of the CA that signed the server's certificate. */
    public Path caPem() {
        return dir.resolve("ca.crt");
    }

    /** PEM of a CA that signed nothing the server has. */
    public Path otherCaPem() {
        return dir.resolve("other-ca.crt");
    }

    /** PKCS12 trust store holding the CA (password {@link #PASSWORD}). */
    public Path caStore() {
        return dir.resolve("ca.p12");
    }

    public Path serverCertPem() {
        return dir.resolve("server.crt");
    }

    public Path serverKeyPem() {
        return dir.resolve("server.key");
    }

    /** PKCS12 key store with the client's key and CA-signed certificate (password {@link #PASSWORD}). */
    public Path clientStore() {
        return dir.resolve("client.p12");
    }

    private void keyPair(String store, String alias, String name, String extension) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", store, "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", name,
                "-validity", "2"));
        if (extension != null) {
            args.add("-ext");
            args.add(extension);
        }
        keytool(args.toArray(new String[0]));
    }

    private void request(String store, String alias) {
        keytool("-certreq", "-keystore", store, "-storepass", PASSWORD, "-alias", alias, "-file", alias + ".csr");
    }

    private void sign(String alias, String certificate, String extension) {
        keytool("-gencert", "-keystore", "ca.p12", "-storepass", PASSWORD, "-alias", "ca", "-infile", alias + ".csr",
                "-outfile", certificate, "-rfc", "-validity", "2", "-ext", extension);
    }

    private Certificate certificate(String store, String alias) {
        try {
            return load(store).getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Key key(String store, String alias) {
        try {
            return load(store).getKey(alias, PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private KeyStore load(String store) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(dir.resolve(store))) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pem(byte[] der, String type, String file) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(dir.resolve(file), "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type
                + "-----\n");
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
