package dev.tiledgateway.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up's steps all run on this class path: each one that fails is skipped silently in a cold start (the
 * request path then loads what it needs itself), so a class renamed or moved would otherwise only show as a slower
 * start.
 */
class WarmupTest {

    @Test
    void everyStepCompletes() {
        assertEquals(List.of("envelope", "registries", "classes", "random", "gzip"), Warmup.run());
    }

    @Test
    void itRunsOnADaemonThreadOfItsOwn() throws InterruptedException {
        Thread t = Warmup.start();
        assertTrue(t.isDaemon());
        assertEquals("tiled-gateway-warmup", t.getName());
        t.join(60_000);
        assertTrue(!t.isAlive());
    }
}
