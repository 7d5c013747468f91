package dev.tiledgateway.core.structure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimedStructuresTest {

    /** A 4x4 little-endian int32 array in one chunk, as a reader would report it. */
    private static final ArrayStructure DATA = ArrayStructure.regular(DataType.Builtin.parse("<i4"), new long[] {4, 4}, new int[] {4, 4}, null);
    private static final String INT32 = "{\"endianness\": \"little\", \"kind\": \"i\", \"itemsize\": 4, \"dt_units\": null}";

    private static JsonNode json(String s) {
        try {
            return Json.parse(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode claim(String dtype, String shape, String chunks, String dims) {
        return json("{\"data_type\": " + dtype + ", \"shape\": " + shape + ", \"chunks\": " + chunks + ", \"dims\": " + dims + ", \"resizable\": false}");
    }

    private static TiledException refusedArray(JsonNode claimed) {
        return assertThrows(TiledException.class, () -> ClaimedStructures.array(claimed, DATA));
    }

    private static ObjectNode table(String columns, int npartitions) {
        return (ObjectNode) json("{\"arrow_schema\": \"data:application/vnd.apache.arrow.file;base64,AAAA\", \"npartitions\": " + npartitions
                + ", \"columns\": " + columns + ", \"resizable\": false}");
    }

    @Test
    void withoutAClaimTheDataStructureIsStored() {
        for (JsonNode absent : new JsonNode[] {null, MissingNode.getInstance(), NullNode.getInstance()})
            assertEquals(StructureJson.array(DATA), ClaimedStructures.array(absent, DATA));
    }

    @Test
    void aClaimThatAgreesYieldsTheDataStructure() {
        assertEquals(StructureJson.array(DATA), ClaimedStructures.array(claim(INT32, "[4, 4]", "[[4], [4]]", "null"), DATA));
    }

    @Test
    void aDifferentShapeIsRefusedNamingBothShapes() {
        TiledException e = refusedArray(claim(INT32, "[6000, 6000]", "[[6000], [6000]]", "null"));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("shape [6000, 6000] was sent, the data has [4, 4]"), e.detail());
    }

    @Test
    void aDifferentDataTypeIsRefused() {
        TiledException e = refusedArray(claim("{\"endianness\": \"little\", \"kind\": \"f\", \"itemsize\": 8, \"dt_units\": null}", "[4, 4]", "[[4], [4]]", "null"));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("data_type"), e.detail());
    }

    @Test
    void aDifferentByteOrderIsRefused() {
        TiledException e = refusedArray(claim("{\"endianness\": \"big\", \"kind\": \"i\", \"itemsize\": 4, \"dt_units\": null}", "[4, 4]", "[[4], [4]]", "null"));
        assertEquals(422, e.status());
    }

    @Test
    void differentChunksAreRefused() {
        TiledException e = refusedArray(claim(INT32, "[4, 4]", "[[2, 2], [4]]", "null"));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("chunks [[2, 2], [4]] were sent, the data has [[4], [4]]"), e.detail());
    }

    @Test
    void everyDisagreementIsNamed() {
        TiledException e = refusedArray(claim("{\"endianness\": \"little\", \"kind\": \"u\", \"itemsize\": 1, \"dt_units\": null}", "[5, 4]", "[[5], [4]]", "null"));
        assertTrue(e.detail().contains("data_type") && e.detail().contains("shape") && e.detail().contains("chunks"), e.detail());
    }

    @Test
    void longListsAreQuotedShort() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) many.append(i == 0 ? "" : ", ").append(1);
        TiledException e = refusedArray(claim(INT32, "[1000, 4]", "[" + many + "], [4]]", "null"));
        assertTrue(e.detail().length() < 400, e.detail());
        assertTrue(e.detail().contains("(1000 in all)"), e.detail());
    }

    @Test
    void dimsTheDataDoesNotNameComeFromTheClaim() {
        ObjectNode stored = ClaimedStructures.array(claim(INT32, "[4, 4]", "[[4], [4]]", "[\"y\", \"x\"]"), DATA);
        assertEquals("[\"y\",\"x\"]", stored.get("dims").toString());
    }

    @Test
    void dimsThatDifferFromTheDataAreRefused() {
        ArrayStructure named = new ArrayStructure(DATA.dataType(), DATA.shape(), DATA.chunks(), List.of("row", "col"));
        TiledException e = assertThrows(TiledException.class,
                () -> ClaimedStructures.array(claim(INT32, "[4, 4]", "[[4], [4]]", "[\"y\", \"x\"]"), named));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("dims"), e.detail());
    }

    @Test
    void dimsOfTheWrongRankAreRefused() {
        assertEquals(422, refusedArray(claim(INT32, "[4, 4]", "[[4], [4]]", "[\"x\"]")).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"4x4\"", "[1, 2]", "{\"shape\": \"four by four\"}", "{\"data_type\": {}, \"shape\": [4, 4], \"chunks\": [[4], [4]]}",
            "{\"data_type\": " + INT32 + ", \"shape\": [4.5, 4], \"chunks\": [[4], [4]]}",
            "{\"data_type\": " + INT32 + ", \"shape\": [-4, 4], \"chunks\": [[4], [4]]}",
            "{\"data_type\": " + INT32 + ", \"shape\": [4, 4], \"chunks\": [4, 4]}",
            "{\"data_type\": " + INT32 + ", \"shape\": [4, 4]}",
            "{\"data_type\": " + INT32 + ", \"shape\": [4, 4], \"chunks\": [[4], [4]], \"dims\": [1, 2]}",
            "{\"data_type\": {\"endianness\": \"sideways\", \"kind\": \"i\", \"itemsize\": 4}, \"shape\": [4, 4], \"chunks\": [[4], [4]]}"})
    void malformedArrayClaimsAre422(String claimed) {
        TiledException e = refusedArray(json(claimed));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("structure"), e.detail());
    }

    @Test
    void tableColumnsMustAgree() {
        TiledException e = assertThrows(TiledException.class,
                () -> ClaimedStructures.table(table("[\"a\", \"c\"]", 1), table("[\"a\", \"b\"]", 1)));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("columns [a, c] were sent, the data has [a, b]"), e.detail());
    }

    @Test
    void tablePartitionCountsMustAgree() {
        TiledException e = assertThrows(TiledException.class,
                () -> ClaimedStructures.table(table("[\"a\"]", 1), table("[\"a\"]", 3)));
        assertEquals(422, e.status());
        assertTrue(e.detail().contains("npartitions 1 was sent, the data has 3"), e.detail());
    }

    @Test
    void theStoredArrowSchemaIsTheData() {
        ObjectNode claimed = table("[\"a\"]", 1);
        claimed.put("arrow_schema", "data:something-else");
        assertEquals(table("[\"a\"]", 1), ClaimedStructures.table(claimed, table("[\"a\"]", 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a table\"", "{\"columns\": \"a\"}", "{\"columns\": [1]}", "{\"npartitions\": \"one\"}", "{\"npartitions\": 1.5}"})
    void malformedTableClaimsAre422(String claimed) {
        TiledException e = assertThrows(TiledException.class, () -> ClaimedStructures.table(json(claimed), table("[\"a\"]", 1)));
        assertEquals(422, e.status());
    }
}
