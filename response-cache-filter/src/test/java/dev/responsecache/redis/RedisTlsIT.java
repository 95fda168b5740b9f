package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisProcess;
import dev.responsecache.testing.TestCertificates;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on a TLS-only Redis that asks for a client certificate and knows one ACL user (the default user is off),
 * with certificates made by the test: CA trust from a PEM file, a client key store, the ACL login in the URI; and the
 * start-up log when the CA or the password is wrong.
 */
class RedisTlsIT {

    private static TestCertificates certificates;
    private static RedisProcess redis;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        certificates = TestCertificates.generated();
        redis = RedisProcess.onFreePort(Files.createTempDirectory("redis-tls-server"), (port, home) -> List.of(
                "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1",
                "--tls-cert-file", certificates.serverCertPem().toString(),
                "--tls-key-file", certificates.serverKeyPem().toString(),
                "--tls-ca-cert-file", certificates.caPem().toString(),
                "--tls-auth-clients", "yes",
                "--save", "", "--appendonly", "no",
                // Only this user, and only the keys and channels under the test prefixes.
                "--user", "default", "off",
                "--user", "app", "on", ">s3cret", "~rc-test-*", "resetchannels", "&rc-test-*", "+@all"),
                "Ready to accept connections");
    }

    @AfterAll
    static void stopTlsRedis() {
        redis.close();
    }

    private static Map<String, String> settings(String login, String trustStore) {
        return Map.of(
                ResponseCacheProperties.REDIS_URI, "rediss://" + login + "@localhost:" + redis.port() + "/0",
                ResponseCacheProperties.REDIS_TRUST_STORE, trustStore,
                ResponseCacheProperties.REDIS_KEY_STORE, certificates.clientStore().toString(),
                ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD, TestCertificates.PASSWORD);
    }

    @Test
    void instancesShareEntriesAndEvictionsOverTlsWithAClientCertificateAndAnAclLogin() {
        TopologyScenarios scenarios = new TopologyScenarios(settings("app:s3cret", certificates.caPem().toString()));
        try {
            scenarios.secondInstanceHitsWhatTheFirstStored();
            scenarios.evictionThroughOneInstanceReachesBoth();
        } finally {
            scenarios.close();
        }
    }

    @Test
    void pkcs12TrustStoreAndClientKeyStoreAreReadAndAWrongPasswordFailsTheStartUpNamingTheProperty() {
        Map<String, Object> properties = new HashMap<>(Map.of(
                ResponseCacheProperties.REDIS_URI, "rediss://localhost:" + redis.port(),
                ResponseCacheProperties.REDIS_TRUST_STORE, certificates.caStore().toString(),
                ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD, TestCertificates.PASSWORD,
                ResponseCacheProperties.REDIS_KEY_STORE, certificates.clientStore().toString(),
                ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD, "wrong"));
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class,
                () -> RedisSettings.from(new PropertyValues(properties::get)));
        assertTrue(e.getMessage().startsWith("Invalid value for responsecache.redis.key-store: '"), e.getMessage());
        properties.put(ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD, TestCertificates.PASSWORD);
        assertNotNull(RedisSettings.from(new PropertyValues(properties::get)).tlsSockets());
    }

    /**
     * A trust-store password given with a PEM trust store was ignored without a word: a PEM file has no password, so
     * the setting is meaningless and fails the start-up, as a password without its store does.
     */
    @Test
    void trustStorePasswordWithAPemTrustStoreWasIgnoredWithoutAWord() {
        Map<String, String> settings = new HashMap<>(settings("app:s3cret", certificates.caPem().toString()));
        settings.put(ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD, "TopSecret");
        String messages = startUpFailure(settings);
        assertTrue(messages.contains(ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD + " is set but "
                + ResponseCacheProperties.REDIS_TRUST_STORE + " '" + certificates.caPem() + "' is a PEM file, which has"
                + " no password"), messages);
        assertFalse(messages.contains("TopSecret"), messages);
    }

    /**
     * A PEM key store (the client's key as Redis itself reads it) failed the start-up as a PKCS12 store that was
     * corrupt or whose password was wrong, with a message that offered PEM as a valid form: it names the form a key
     * store must have.
     */
    @Test
    void pemKeyStoreFailedAsAWrongPasswordAndWasOfferedAsValid() {
        Map<String, String> settings = new HashMap<>(settings("app:s3cret", certificates.caPem().toString()));
        settings.put(ResponseCacheProperties.REDIS_KEY_STORE, certificates.serverKeyPem().toString());
        String messages = startUpFailure(settings);
        assertTrue(messages.contains("Invalid value for " + ResponseCacheProperties.REDIS_KEY_STORE + ": '"
                + certificates.serverKeyPem() + "' (expected a PKCS12/JKS store with the client's key and certificate"
                + " and its " + ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD + ": a PEM file is not read as a key"
                + " store)"), messages);
    }

    /** Starts one application on the TLS Redis with {@code redis} settings, which must fail: the failure's messages. */
    private static String startUpFailure(Map<String, String> redis) {
        ResourceConfig app = new ResourceConfig(RedisResource.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, RedisApps.uniquePrefix());
        redis.forEach(app::property);
        TestServer server = TestServer.jersey(app);
        // Jersey configures the application, and so opens the store, when its servlet starts, as in a deployment.
        server.context().getServletHandler().getServlets()[0].setInitOrder(1);
        Exception failure = assertThrows(Exception.class, () -> server.start().close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }

    /**
     * A PEM trust store was told from a PKCS12/JKS one by a {@code -----BEGIN} line within its first 64 bytes: a CA
     * bundle with a longer preamble before its first certificate (curl's {@code cacert.pem}, or the
     * {@code Bag Attributes} lines {@code openssl pkcs12} writes), which the JDK reads as PEM, was read as a PKCS12
     * store and failed the start-up as unreadable.
     */
    @Test
    void pemTrustStoreWithAPreambleBeforeItsFirstCertificateWasReadAsAPkcs12Store() throws Exception {
        Path bundle = Files.createTempFile("ca-bundle", ".pem");
        try {
            Files.writeString(bundle, "##\n## Bundle of CA Root Certificates for the Redis servers of this"
                    + " application\n##\n\nTest CA\n=======\n" + Files.readString(certificates.caPem()));
            TopologyScenarios scenarios = new TopologyScenarios(settings("app:s3cret", bundle.toString()));
            try {
                scenarios.secondInstanceHitsWhatTheFirstStored();
            } finally {
                scenarios.close();
            }
        } finally {
            Files.delete(bundle);
        }
    }

    @Test
    void serverCertificateFromAnotherCaIsRefusedWithAClearStartUpLogAndRequestsAreServedUncached() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            TopologyScenarios scenarios = new TopologyScenarios(
                    settings("app:s3cret", certificates.otherCaPem().toString()));
            try {
                List<String> errors = log.messagesAtLeast(Level.SEVERE);
                assertTrue(errors.stream().anyMatch(line -> line.startsWith("TLS handshake with Redis at localhost:"
                        + redis.port() + " failed") && line.contains(ResponseCacheProperties.REDIS_TRUST_STORE)),
                        errors.toString());
                HttpResponse<String> response = scenarios.instanceA.getText("/api/pages/1");
                assertEquals(200, response.statusCode());
                assertEquals("MISS", TopologyScenarios.cacheStatus(response));
                assertEquals("MISS", TopologyScenarios.cacheStatus(scenarios.instanceA.getText("/api/pages/1")));
            } finally {
                scenarios.close();
            }
        }
    }

    @Test
    void wrongAclPasswordIsLoggedAtStartUpAndRequestsAreServedUncached() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            TopologyScenarios scenarios = new TopologyScenarios(settings("app:wrong", certificates.caPem().toString()));
            try {
                List<String> warnings = log.messagesAtLeast(Level.WARNING);
                assertTrue(warnings.stream().anyMatch(line -> line.startsWith("Redis at localhost:" + redis.port()
                        + " refused the login (WRONGPASS") && line.contains(ResponseCacheProperties.REDIS_URI)),
                        warnings.toString());
                HttpResponse<String> response = scenarios.instanceA.getText("/api/pages/2");
                assertEquals(200, response.statusCode());
                assertEquals("MISS", TopologyScenarios.cacheStatus(scenarios.instanceB.getText("/api/pages/2")));
            } finally {
                scenarios.close();
            }
        }
    }
}
