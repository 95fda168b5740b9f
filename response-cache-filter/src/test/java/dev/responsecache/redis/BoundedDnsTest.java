package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisConnectionException;

class BoundedDnsTest {

    private final BoundedDns dns = new BoundedDns(2_000);

    @Test
    void addressesAreHandedBackUnchangedSoTlsStillChecksTheHostName() {
        HostAndPort name = new HostAndPort("localhost", 6379);
        assertSame(name, dns.getHostAndPort(name));
        HostAndPort ip = new HostAndPort("127.0.0.1", 6379);
        assertSame(ip, dns.getHostAndPort(ip));
        HostAndPort ipv6 = new HostAndPort("::1", 6379);
        assertSame(ipv6, dns.getHostAndPort(ipv6));
    }

    /** Whether the resolver says no at once or never answers, the caller gets a connection failure, in bounded time. */
    @Test
    void nameThatDoesNotResolveIsAConnectionFailure() {
        assertThrows(JedisConnectionException.class,
                () -> new BoundedDns(200).getHostAndPort(new HostAndPort("no-such-host.invalid", 6379)));
    }
}
