package dev.tiledgateway.core.array;

import dev.tiledgateway.core.error.TiledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NDSliceTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "1:2:3:4", "...", "1;2", "1.5", "--1", "1,,:,x", "99999999999999999999"})
    void malformedSlicesAre4xx(String s) {
        TiledException e = assertThrows(TiledException.class, () -> NDSlice.parse(s));
        assertEquals(422, e.status());
    }

    @Test
    void zeroStepIsRejected() {
        assertEquals(422, assertThrows(TiledException.class, () -> NDSlice.parse("::0")).status());
    }

    @Test
    void indexOutOfBoundsIs400() {
        assertEquals(400, assertThrows(TiledException.class, () -> NDSlice.parse("10").resolve(new long[] {10})).status());
        assertEquals(400, assertThrows(TiledException.class, () -> NDSlice.parse("-11").resolve(new long[] {10})).status());
    }

    @Test
    void moreDimensionsThanTheArrayIs400() {
        assertEquals(400, assertThrows(TiledException.class, () -> NDSlice.parse("1,2").resolve(new long[] {10})).status());
    }

    @Test
    void zeroDimensionalArraysTakeTheEmptySlice() {
        Selection s = NDSlice.parse("").resolve(new long[0]);
        assertArrayEquals(new long[0], s.resultShape());
        assertEquals(1, s.count());
    }

    @Test
    void clientCanonicalFormFromTheSpec() {
        Selection s = NDSlice.parse(":5:1,3").resolve(new long[] {50, 50});
        assertArrayEquals(new long[] {5}, s.resultShape());
    }
}
