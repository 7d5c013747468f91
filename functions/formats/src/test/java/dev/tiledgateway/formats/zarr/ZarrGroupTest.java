package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.store.BlobStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Groups and node kinds in the v2 and v3 fixture trees. */
class ZarrGroupTest {

    private static final BlobStore STORE = Fixtures.store();

    @Test
    void v2Groups() throws Exception {
        ZarrGroup root = ZarrGroup.open(STORE, "v2").orElseThrow();
        assertEquals(2, root.zarrFormat());
        assertEquals("v2 fixtures", root.attributes().path("title").asText());
        assertEquals(42, root.attributes().path("answer").asInt());
        ZarrGroup sub = ZarrGroup.open(STORE, "/v2/grp/sub/").orElseThrow();
        assertEquals("v2/grp/sub/", sub.prefix());
        assertEquals(2, sub.attributes().path("level").asInt());
        assertEquals("b", sub.attributes().path("tags").get(1).asText());
        assertEquals(1, ZarrGroup.open(STORE, "v2/grp").orElseThrow().attributes().path("level").asInt());
    }

    @Test
    void v3Groups() throws Exception {
        ZarrGroup root = ZarrGroup.open(STORE, "v3/").orElseThrow();
        assertEquals(3, root.zarrFormat());
        assertEquals("v3 fixtures", root.attributes().path("title").asText());
        assertTrue(root.attributes().at("/generator/zarr").asText().startsWith("3."), "the v3 fixtures are zarr-python 3's");
        ZarrGroup sub = ZarrGroup.open(STORE, "v3/grp/sub").orElseThrow();
        assertEquals(List.of("a", "b"), List.of(sub.attributes().path("tags").get(0).asText(), sub.attributes().path("tags").get(1).asText()));
    }

    @Test
    void arraysAndEmptyPrefixesAreNotGroups() throws Exception {
        assertTrue(ZarrGroup.open(STORE, "v2/grp/sub/leaf").isEmpty());
        assertTrue(ZarrGroup.open(STORE, "v3/grp/sub/leaf").isEmpty());
        assertTrue(ZarrGroup.open(STORE, "v3/implicit").isEmpty());
        assertTrue(ZarrGroup.open(STORE, "").isEmpty());
    }

    @Test
    void kindAt() throws Exception {
        assertEquals(Optional.of("group"), ZarrNodes.kindAt(STORE, "v2"));
        assertEquals(Optional.of("group"), ZarrNodes.kindAt(STORE, "v2/grp/"));
        assertEquals(Optional.of("array"), ZarrNodes.kindAt(STORE, "v2/grp/sub/leaf"));
        assertEquals(Optional.of("group"), ZarrNodes.kindAt(STORE, "v3"));
        assertEquals(Optional.of("array"), ZarrNodes.kindAt(STORE, "v3/grp/sub/leaf/"));
        assertEquals(Optional.empty(), ZarrNodes.kindAt(STORE, "v3/implicit"));
        assertEquals(Optional.empty(), ZarrNodes.kindAt(STORE, "no/such/thing"));
        assertEquals(Optional.empty(), ZarrNodes.kindAt(STORE, ""));
    }

    @Test
    void children() throws Exception {
        assertEquals(List.of("leaf"), ZarrNodes.children(STORE, "v2/grp/sub"));
        assertEquals(List.of("sub"), ZarrNodes.children(STORE, "v3/grp/"));
        assertEquals(List.of("v2", "v3"), ZarrNodes.children(STORE, ""));
        List<String> v3 = ZarrNodes.children(STORE, "v3");
        assertTrue(v3.contains("sharded_end") && v3.contains("grp") && !v3.contains("implicit"), v3.toString());
    }

    @Test
    void arrayAttributes() throws Exception {
        ZarrArray a = ZarrArray.open(STORE, "v2/with_dims");
        assertEquals("m", a.attributes().path("units").asText());
        assertEquals(List.of("y", "x"), a.structure().dims());
        ZarrArray b = ZarrArray.open(STORE, "v3/sharded_end");
        assertTrue(b.attributes().path("sharded").asBoolean());
        assertEquals(List.of("row", "col"), b.structure().dims());
        assertEquals(0, ZarrArray.open(STORE, "v2/comp_zstd").attributes().size());
    }
}
