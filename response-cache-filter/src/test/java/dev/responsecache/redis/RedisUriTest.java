package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedisUriTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        // uri,                                   tls,   host,            port, db, user,  password
        "redis://cache.internal:6379/0,           false, cache.internal,  6379, 0,  null,  null",
        "redis://localhost,                       false, localhost,       6379, 0,  null,  null",
        "redis://localhost/,                      false, localhost,       6379, 0,  null,  null",
        "redis://10.0.0.5:6380/3,                 false, 10.0.0.5,        6380, 3,  null,  null",
        "rediss://cache.example.com:6380/1,       true,  cache.example.com, 6380, 1, null, null",
        "redis://app:s3cret@cache:6379/2,         false, cache,           6379, 2,  app,   s3cret",
        "redis://:s3cret@cache,                   false, cache,           6379, 0,  null,  s3cret",
        "redis://app:p%40ss%3Aword@cache:6379,    false, cache,           6379, 0,  app,   p@ss:word",
        "REDIS://[::1]:7000/0,                    false, ::1,             7000, 0,  null,  null",
    })
    void acceptedForms(String text, boolean tls, String host, int port, int database, String user, String password) {
        RedisUri uri = RedisUri.parse(text);
        assertEquals(new RedisUri(tls, host, port, database, user, password), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "localhost:6379",
        "http://localhost:6379",
        "redis://",
        "redis:///0",
        "redis://localhost:notaport",
        "redis://localhost:70000",
        "redis://localhost:6379/db",
        "redis://localhost:6379/0/1",
        "redis://localhost:6379/0?timeout=1",
        "redis://user@localhost:6379",
        "redis://user:@localhost:6379",
        "redis://local host:6379",
    })
    void malformedUriFailsNamingTheProperty(String text) {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class, () -> RedisUri.parse(text));
        assertTrue(e.getMessage().startsWith("Invalid value for responsecache.redis.uri: '"), e.getMessage());
        assertTrue(e.getMessage().contains("redis://[[user]:password@]host[:port][/database]"), e.getMessage());
    }

    @Test
    void missingUriFailsNamingThePropertyAndTheStore() {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class, () -> RedisUri.parse(null));
        assertTrue(e.getMessage().startsWith("responsecache.redis.uri must be set when responsecache.store=redis"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://app:TopSecret@cache:6379/notadb",
        "redis://TopSecret@cache:6379",
        "redis://:TopSecret@cache:port",
    })
    void passwordNeverAppearsInAnErrorMessage(String text) {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class, () -> RedisUri.parse(text));
        assertFalse(e.getMessage().contains("TopSecret"), e.getMessage());
        assertTrue(e.getMessage().contains("****@cache"), e.getMessage());
    }

    @Test
    void passwordNeverAppearsInToString() {
        RedisUri uri = RedisUri.parse("rediss://app:TopSecret@cache:6380/2");
        assertEquals("rediss://app:****@cache:6380/2", uri.toString());
        assertEquals("cache:6380", uri.address());
    }
}
