package dev.tiledgateway.core.serialize;

import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code ?format=} and {@code Accept} choose a serializer (spec §2.5, RFC 9110 §12.5.1): wildcards and weights. */
class NegotiationTest {

    private static Serializer s(String mediaType, String servesFor) { return Serializer.of(mediaType, servesFor, List.of(), p -> new byte[0]); }

    private static final SerializerRegistry REGISTRY = new SerializerRegistry(List.of(
            s("application/octet-stream", "array"), s("application/json", "array"), s("text/csv", "array"), s("text/html", "array"),
            s("image/png", "array"), s("image/tiff", "array"),
            s("application/json", "container"),
            s("application/vnd.apache.arrow.file", "xarray_dataset"), s("text/csv", "xarray_dataset"),
            s("application/json", "xarray_dataset")));

    private static final Node ARRAY = new Node(NodePath.of("a"), StructureFamily.ARRAY, Json.object(), List.of(), null, null, null, 0);
    private static final Node CONTAINER = Node.container(NodePath.of("c"), Json.object(), List.of());
    private static final Node DATASET = Node.container(NodePath.of("d"), Json.object(), List.of(new Spec("xarray_dataset", null)));

    private static String chosen(Node node, String accept) {
        return REGISTRY.negotiate(node, Optional.empty(), Optional.ofNullable(accept)).mediaType();
    }

    @Test
    void anyTypeAndNoAcceptMeanTheNodesDefault() {
        assertEquals("application/octet-stream", chosen(ARRAY, "*/*"));
        assertEquals("application/octet-stream", chosen(ARRAY, null));
        // Tiled's container default (HDF5) is not offered here: the first format that is
        assertEquals("application/json", chosen(CONTAINER, "*/*"));
        assertEquals("application/json", chosen(CONTAINER, null));
        assertEquals("application/json", chosen(CONTAINER, "*/*;q=0.8"));
        assertEquals("application/vnd.apache.arrow.file", chosen(DATASET, "*/*"));
        assertEquals("application/vnd.apache.arrow.file", REGISTRY.negotiate(DATASET, Optional.of("*/*"), Optional.empty()).mediaType());
    }

    @Test
    void aTypeRangeMeansTheDefaultOrTheFirstOfThatType() {
        assertEquals("image/png", chosen(ARRAY, "image/*"));
        assertEquals("text/csv", chosen(ARRAY, "text/*"));
        assertEquals("application/octet-stream", chosen(ARRAY, "application/*"));
        assertEquals("text/csv", chosen(DATASET, "text/*"));
        assertEquals("application/json", chosen(CONTAINER, "application/*"));
    }

    @Test
    void weightsOrderTheChoiceAndZeroRefuses() {
        assertEquals("text/csv", chosen(ARRAY, "application/json;q=0.5, text/csv"));
        assertEquals("application/json", chosen(ARRAY, "text/csv;q=0.1, application/json;q=0.9"));
        assertEquals("application/json", chosen(ARRAY, "application/json, text/csv"), "equal weights keep header order");
        assertEquals("text/html", chosen(ARRAY, "text/*, text/csv;q=0"), "a range never picks what the header refuses");
        assertEquals("application/json", chosen(ARRAY, "*/*, application/octet-stream;q=0"));
        assertEquals("text/csv", chosen(ARRAY, "Text/CSV"));
        TiledException e = assertThrows(TiledException.class, () -> chosen(CONTAINER, "*/*;q=0"));
        assertEquals(406, e.status());
        e = assertThrows(TiledException.class, () -> chosen(CONTAINER, "application/x-hdf5"));
        assertEquals(406, e.status());
        assertTrue(e.detail().contains("application/json"), e.detail());
    }

    @Test
    void formatWinsOverAcceptAndTakesAliases() {
        assertEquals("text/csv", REGISTRY.negotiate(ARRAY, Optional.of("csv"), Optional.of("application/json")).mediaType());
        assertEquals("image/png", REGISTRY.negotiate(ARRAY, Optional.of("image/*"), Optional.empty()).mediaType());
    }
}
