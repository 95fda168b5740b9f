package dev.responsecache.redis;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of a {@code rediss://} store, loaded and checked at start-up: the JVM's trust store unless
 * {@link ResponseCacheProperties#REDIS_TRUST_STORE} names CA certificates (a PEM file, or a PKCS12/JKS store), and a
 * client certificate when {@link ResponseCacheProperties#REDIS_KEY_STORE} names one.
 */
final class RedisTls {

    private RedisTls() {
    }

    /**
     * Checks which TLS settings are given, without reading any file (as where Redis is not the store in use, or the
     * cache is off, since the files may exist only where Redis is used).
     *
     * @throws ResponseCacheConfigException naming the property when TLS material is given for a {@code redis://} URI,
     *                                      or a store's password without that store
     */
    static void checkNames(PropertyValues properties, boolean tls) {
        if (!tls) {
            for (String name : new String[] {ResponseCacheProperties.REDIS_TRUST_STORE,
                    ResponseCacheProperties.REDIS_KEY_STORE, ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD,
                    ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD}) {
                if (properties.string(name) != null) {
                    throw new ResponseCacheConfigException(name + " is set but " + ResponseCacheProperties.REDIS_URI
                            + " is not a rediss:// (TLS) URI");
                }
            }
            return;
        }
        // A password without its store would be ignored, as a store without TLS would be: refused alike.
        passwordOnlyWith(properties, ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD,
                ResponseCacheProperties.REDIS_TRUST_STORE);
        passwordOnlyWith(properties, ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD,
                ResponseCacheProperties.REDIS_KEY_STORE);
    }

    private static void passwordOnlyWith(PropertyValues properties, String password, String store) {
        if (properties.string(store) == null && properties.string(password) != null) {
            throw new ResponseCacheConfigException(password + " is set but " + store + " is not");
        }
    }

    /**
     * The socket factory to use, or null for the JVM's default one.
     *
     * @throws ResponseCacheConfigException naming the property when a file is missing or unreadable, or as
     *                                      {@link #checkNames} does
     */
    static SSLSocketFactory from(PropertyValues properties, boolean tls) {
        checkNames(properties, tls);
        if (!tls) {
            return null;
        }
        String trustStore = properties.string(ResponseCacheProperties.REDIS_TRUST_STORE);
        String keyStore = properties.string(ResponseCacheProperties.REDIS_KEY_STORE);
        if (trustStore == null && keyStore == null) {
            return null;
        }
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            // A null key store means the JVM's default trust store.
            trust.init(trustStore == null ? null : trusted(trustStore,
                    properties.string(ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD)));
            KeyManagerFactory keys = null;
            if (keyStore != null) {
                String password = properties.string(ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(clientKeys(keyStore, password), chars(password));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new ResponseCacheConfigException("TLS set-up for Redis failed (" + ResponseCacheProperties.REDIS_TRUST_STORE
                    + "=" + trustStore + ", " + ResponseCacheProperties.REDIS_KEY_STORE + "=" + keyStore + "): " + e, e);
        }
    }

    private static KeyStore trusted(String file, String password) {
        byte[] bytes = read(ResponseCacheProperties.REDIS_TRUST_STORE, file);
        if (!pem(bytes)) {
            return load(ResponseCacheProperties.REDIS_TRUST_STORE, file, bytes, password);
        }
        if (password != null) {
            // A PEM file has no password: one given is meaningless, refused as a password without its store is.
            throw new ResponseCacheConfigException(ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD + " is set but "
                    + ResponseCacheProperties.REDIS_TRUST_STORE + " '" + file + "' is a PEM file, which has no password"
                    + " (a password belongs to a PKCS12/JKS trust store)");
        }
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            if (certificates.isEmpty()) {
                throw ResponseCacheConfigException.badValue(ResponseCacheProperties.REDIS_TRUST_STORE, file,
                        "a PEM file with at least one certificate, or a PKCS12/JKS store");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw unreadable(ResponseCacheProperties.REDIS_TRUST_STORE, file, e);
        }
    }

    /** The client's key store: PKCS12/JKS only, since a PEM file would read as a corrupt store or a wrong password. */
    private static KeyStore clientKeys(String file, String password) {
        byte[] bytes = read(ResponseCacheProperties.REDIS_KEY_STORE, file);
        if (pem(bytes)) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.REDIS_KEY_STORE, file,
                    "a PKCS12/JKS store with the client's key and certificate and its "
                    + ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD + ": a PEM file is not read as a key store");
        }
        return load(ResponseCacheProperties.REDIS_KEY_STORE, file, bytes, password);
    }

    /**
     * Whether a file is PEM text: not a binary key store (PKCS12 is DER, a SEQUENCE whose first byte is 0x30; JKS and
     * JCEKS begin with their magic numbers) and with a {@code -----BEGIN} line anywhere, since a CA bundle may have
     * any text before its first certificate (curl's {@code cacert.pem}, the {@code Bag Attributes} lines
     * {@code openssl pkcs12} writes), which the JDK skips as it reads PEM.
     */
    private static boolean pem(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] == 0x30 || bytes[0] == (byte) 0xFE || bytes[0] == (byte) 0xCE) {
            return false;
        }
        return new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN");
    }

    private static KeyStore load(String property, String file, byte[] bytes, String password) {
        // PKCS12 is the default type; the JDK's compatibility mode also reads JKS files with it.
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, chars(password));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw unreadable(property, file, e);
        }
    }

    private static byte[] read(String property, String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw unreadable(property, file, e);
        }
    }

    private static ResponseCacheConfigException unreadable(String property, String file, Exception cause) {
        String expected = property.equals(ResponseCacheProperties.REDIS_TRUST_STORE)
                ? "a readable PEM file of certificates or a PKCS12/JKS store with its password"
                : "a readable PKCS12/JKS store with its password";
        return new ResponseCacheConfigException("Invalid value for " + property + ": '" + file + "' (expected "
                + expected + "): " + cause, cause);
    }

    private static char[] chars(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }
}
