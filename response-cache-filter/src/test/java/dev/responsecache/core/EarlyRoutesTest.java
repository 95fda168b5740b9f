package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/**
 * A path's route is known once learned, so the adapter skips checking that it may be learned on every later miss
 * of that path; another method's route, another path, or a path two methods serve are not known.
 */
class EarlyRoutesTest {

    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private final EarlyRoutes routes = new EarlyRoutes(100);
    private final EarlyRoutes.Route route = new EarlyRoutes.Route(policy, UnaryOperator.identity(), null, null);
    private final EarlyRoutes.Route other = new EarlyRoutes.Route(policy, UnaryOperator.identity(), null, null);

    private Lookup stored(String path, String query) {
        return new Lookup(Lookup.Outcome.MISS, "miss", FakeRequest.get(path, query), policy, "k", null, 0, null);
    }

    @Test
    void learnedRouteIsKnownForEveryQueryOfItsPath() {
        assertFalse(routes.knows(stored("/items", "n=1"), route));
        routes.learn(stored("/items", "n=1"), route);
        assertTrue(routes.knows(stored("/items", "n=2"), route));
        assertSame(route, routes.find("/items"));
        assertFalse(routes.knows(stored("/items", "n=2"), other), "another method's route");
        assertFalse(routes.knows(stored("/other", null), route), "another path");
    }

    @Test
    void pathTwoMethodsServeIsNeverKnown() {
        routes.learn(stored("/items", null), route);
        routes.learn(stored("/items", null), other);
        assertFalse(routes.knows(stored("/items", null), route));
        assertFalse(routes.knows(stored("/items", null), other));
        assertNull(routes.find("/items"));
    }
}
