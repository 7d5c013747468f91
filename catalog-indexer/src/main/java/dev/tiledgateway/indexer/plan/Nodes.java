package dev.tiledgateway.indexer.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.ObjectVersion;
import dev.tiledgateway.core.structure.StructureJson;
import dev.tiledgateway.formats.ZarrArrayReader;
import dev.tiledgateway.formats.table.ArrowTableSource;
import dev.tiledgateway.formats.table.CsvTableReader;
import dev.tiledgateway.formats.table.ParquetTableReader;
import dev.tiledgateway.formats.table.TableStructures;
import dev.tiledgateway.formats.zarr.ZarrArray;
import dev.tiledgateway.formats.zarr.ZarrGroup;
import dev.tiledgateway.indexer.detect.ParquetFooter;
import dev.tiledgateway.indexer.detect.TiffHeader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The node each kind of stored data becomes, read with the same format code the API serves it with:
 * structure, metadata, and a data source whose mimetype selects the reader. Nodes carry no specs, as
 * upstream Tiled's registration attaches none for these formats.
 */
final class Nodes {

    static final String PARAMETER = "data_uri";

    private Nodes() {}

    /** A Zarr array: attributes (without xarray's {@code _ARRAY_DIMENSIONS}, which became dims) as metadata. */
    static Node zarrArray(NodePath path, BlobStore store, String prefix) throws IOException {
        // Every object under the array (metadata, chunks or shards) is part of its data's identity.
        String fingerprint = ObjectVersion.fingerprint(store.versions(prefix));
        ZarrArray a = ZarrArray.open(store, prefix);
        return new Node(path, StructureFamily.ARRAY, attributes(a.attributes()), List.of(), StructureJson.array(a.structure()),
                new DataSource(ZarrArrayReader.MIMETYPE, List.of(new Asset(prefix, true, PARAMETER)), fingerprint), null, 0);
    }

    /** The node with its data source's fingerprint set. */
    static Node withFingerprint(Node n, String fingerprint) {
        return new Node(n.path(), n.family(), n.metadata(), n.specs(), n.structure(), n.dataSource().withFingerprint(fingerprint), n.sorting(), n.revision());
    }

    /** A Zarr group: a container with the group's attributes; its arrays and groups are nodes of their own. */
    static Optional<Node> zarrGroup(NodePath path, BlobStore store, String prefix) throws IOException {
        return ZarrGroup.open(store, prefix).map(g -> Node.container(path, attributes(g.attributes()), List.of()));
    }

    static Node parquetFile(NodePath path, BlobStore store, String key, long size) throws IOException {
        DataSource ds = new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset(key, false, PARAMETER)));
        ArrowTableSource t = new ParquetTableReader().open(store, ds);
        return new Node(path, StructureFamily.TABLE, ParquetFooter.metadata(store, key, size), List.of(), TableStructures.structureJson(t), ds, null, 0);
    }

    /** A folder of parts as one table; metadata from the first part (in name order, as the reader orders partitions). */
    static Optional<Node> parquetFolder(NodePath path, BlobStore store, String prefix) throws IOException {
        List<ObjectVersion> versions = new ArrayList<>();
        for (ObjectVersion v : store.versions(prefix)) if (isPart(prefix, v.key())) versions.add(v);
        List<String> parts = versions.stream().map(ObjectVersion::key).toList();
        if (parts.isEmpty()) return Optional.empty();
        DataSource ds = new DataSource(ParquetTableReader.MIMETYPE, List.of(new Asset(prefix, true, PARAMETER)), ObjectVersion.fingerprint(versions));
        ArrowTableSource t = new ParquetTableReader().open(store, ds);
        String first = parts.getFirst();
        long size = store.size(first).orElseThrow(() -> new CorruptDataException("part '" + first + "' vanished while being read"));
        return Optional.of(new Node(path, StructureFamily.TABLE, ParquetFooter.metadata(store, first, size), List.of(),
                TableStructures.structureJson(t), ds, null, 0));
    }

    /** The part files the Parquet reader reads for a folder asset: *.parquet directly inside, not hidden, by name. */
    static List<String> parts(BlobStore store, String prefix) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String k : store.list(prefix)) if (isPart(prefix, k)) parts.add(k);
        parts.sort(null);
        return parts;
    }

    private static boolean isPart(String prefix, String key) {
        String name = key.substring(prefix.length());
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.contains("/") && lower.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".");
    }

    static Node csv(NodePath path, BlobStore store, String key) throws IOException {
        DataSource ds = new DataSource(CsvTableReader.MIMETYPE, List.of(new Asset(key, false, PARAMETER)));
        ArrowTableSource t = new CsvTableReader().open(store, ds);
        return new Node(path, StructureFamily.TABLE, Json.object(), List.of(), TableStructures.structureJson(t), ds, null, 0);
    }

    /** A TIFF file (a stack of equal pages is one array); its data is served by whichever reader handles image/tiff. */
    static Node tiff(NodePath path, BlobStore store, String key, long size) throws IOException {
        TiffHeader h = TiffHeader.read(store, key, size);
        return new Node(path, StructureFamily.ARRAY, h.metadata(), List.of(), StructureJson.array(h.structure()),
                new DataSource(TiffHeader.MIMETYPE, List.of(new Asset(key, false, PARAMETER))), null, 0);
    }

    private static ObjectNode attributes(JsonNode attrs) {
        ObjectNode m = attrs != null && attrs.isObject() ? ((ObjectNode) attrs).deepCopy() : Json.object();
        m.remove("_ARRAY_DIMENSIONS");
        return m;
    }
}
