package dev.tiledgateway.core.route;

import dev.tiledgateway.core.error.TiledException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bound on large results produced at once. */
class ResultSlotsTest {

    @Test
    void whenEverySlotIsTakenTheNextRequestIsToldToComeBackLater() {
        ResultSlots slots = new ResultSlots(2, Duration.ofMillis(20));
        ResultSlots.Slot a = slots.acquire();
        ResultSlots.Slot b = slots.acquire();
        TiledException busy = assertThrows(TiledException.class, slots::acquire);
        assertEquals(503, busy.status());
        assertTrue(busy.retryAfterSeconds() >= 1);
        assertTrue(busy.detail().contains("try again"), busy.detail());
        assertEquals(2, slots.inUse());
        a.close();
        a.close(); // closing twice frees one slot, not two
        try (ResultSlots.Slot c = slots.acquire()) {
            assertEquals(2, slots.inUse());
            assertThrows(TiledException.class, slots::acquire);
        }
        b.close();
        assertEquals(0, slots.inUse());
    }

    @Test
    void theWorkOfASlotRunsOnAPlatformThreadAndItsErrorsComeBackAsThrown() throws Exception {
        ResultSlots slots = new ResultSlots(1, Duration.ZERO);
        java.util.concurrent.ExecutorService requests = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        java.util.concurrent.Future<?> request = requests.submit(() -> {
            try (ResultSlots.Slot slot = slots.acquire()) {
                assertEquals(Boolean.FALSE, slot.run(() -> Thread.currentThread().isVirtual()), "CPU work would hold a carrier thread");
                TiledException refused = assertThrows(TiledException.class, () -> slot.run(() -> { throw TiledException.badRequest("too big"); }));
                assertEquals(400, refused.status());
                java.io.IOException failed = assertThrows(java.io.IOException.class, () -> slot.run(() -> { throw new java.io.IOException("disk full"); }));
                assertEquals("disk full", failed.getMessage());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        request.get(); // rethrows what failed on the request's thread
        requests.close();
        assertEquals(0, slots.inUse());
    }

    @Test
    void aRequestWaitsForASlotThatFreesUp() throws Exception {
        ResultSlots slots = new ResultSlots(1, Duration.ofMinutes(5));
        ResultSlots.Slot held = slots.acquire();
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            held.close();
        });
        try (ResultSlots.Slot next = slots.acquire()) {
            assertEquals(1, slots.inUse());
        }
        releaser.join();
    }
}
