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
