package dev.responsecache.ehcache;

import java.time.Clock;

import org.ehcache.core.spi.time.TimeSource;
import org.ehcache.core.spi.time.TimeSourceService;
import org.ehcache.spi.service.Service;
import org.ehcache.spi.service.ServiceProvider;

/**
 * The cache's clock as Ehcache's time source, through Ehcache's public service SPI
 * ({@code org.ehcache.core.spi.time}), so that expiry follows the clock tests move.
 */
final class CacheClock implements TimeSourceService, TimeSource {

    private final Clock clock;

    CacheClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public TimeSource getTimeSource() {
        return this;
    }

    @Override
    public long getTimeMillis() {
        return clock.millis();
    }

    @Override
    public void start(ServiceProvider<Service> serviceProvider) {
        // Nothing to start: the clock is given.
    }

    @Override
    public void stop() {
        // Nothing to release.
    }
}
