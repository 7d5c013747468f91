package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.path.NodePath;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The catalog table's layout (see TABLE-DESIGN.md): item keys, attribute names, and its creation.
 * A node lives at (pk = "/" + parent path, sk = key); the root at ("#root", "#root"); the live-child
 * tally of one block of a container's sequence numbers at ("#tally/" + container path, block number); the last
 * storage event applied for a node and one of its source objects at ("#reg/" + node path, source); the search index
 * of a container's children in partitions starting "#ix" ({@link SearchIndex}); a node's metadata revisions at
 * ("#rev/" + the node's revision partition id, number) ({@link NodeRevisions}).
 */
public final class CatalogTable {

    public static final String PK = "pk";
    public static final String SK = "sk";
    /** Creation sequence number among siblings; the sort key of {@link #BY_SEQ}. */
    public static final String SEQ = "seq";
    public static final String REV = "rev";
    public static final String FAMILY = "fam";
    /** The node's metadata, specs, structure, data source and sorting as one JSON document. */
    public static final String DOC = "doc";
    /** Instead of {@link #DOC}: the object-store key of a document too large for an item. */
    public static final String SPILL = "spill";
    /** On containers: exact number of children. */
    public static final String KIDS = "kids";
    /** On containers: how many sequence numbers were ever handed out (the last one assigned). */
    public static final String SEQS = "seqs";
    /** On tally items: live children whose seq falls in the block. */
    public static final String LIVE = "live";
    /** On nodes: the node's search index items, as [term, sort key] pairs ({@link SearchIndex}). */
    public static final String IX = "ix";
    /** On nodes: how often the index items were rewritten without a new revision; part of every condition that acts on {@link #IX}. */
    public static final String IXN = "ixn";
    /** On containers: present when their children are indexed for search. */
    public static final String IXD = "ixd";
    /** On search index items: the key of the child they name. */
    public static final String CHILD = "k";

    /** On registration items: the last storage event applied for (node path, source), normalized (fixed width). */
    public static final String SEQUENCER = "sqn";
    /** On registration items: true when that event was a removal (a tombstone). */
    public static final String GONE = "gone";

    /**
     * On nodes whose metadata was updated through the API: the id of their revision items' partition (a fresh one per
     * node created, so revisions of a removed node at the same path are never taken for the new one's).
     */
    public static final String REVISIONS = "rvl";
    /** On nodes: the last revision number handed out. */
    public static final String LAST_REVISION = "rvn";
    /** On nodes: how many revisions they have. */
    public static final String REVISION_COUNT = "rvc";
    /** On revision items: when the update that made them happened (ISO-8601). */
    public static final String TIME = "t";

    /** Local secondary index (pk, seq), keys only: children in creation order, strongly consistent. */
    public static final String BY_SEQ = "by_seq";

    static final String ROOT_KEY = "#root";
    static final String TALLY_PREFIX = "#tally/";
    static final String REGISTRATION_PREFIX = "#reg/";
    static final String REVISION_PREFIX = "#rev/";

    /** DynamoDB's limits on key attribute sizes. */
    private static final int MAX_PK_BYTES = 2048;
    private static final int MAX_SK_BYTES = 1024;

    private CatalogTable() {}

    static AttributeValue s(String v) { return AttributeValue.builder().s(v).build(); }

    static AttributeValue n(long v) { return AttributeValue.builder().n(Long.toString(v)).build(); }

    /** The partition holding the children of {@code container}. */
    static String childPk(NodePath container) { return "/" + container.joined(); }

    static Map<String, AttributeValue> nodeKey(NodePath path) {
        if (path.isRoot()) return Map.of(PK, s(ROOT_KEY), SK, s(ROOT_KEY));
        String pk = childPk(path.parent());
        String sk = path.key();
        if (pk.getBytes(StandardCharsets.UTF_8).length > MAX_PK_BYTES || sk.getBytes(StandardCharsets.UTF_8).length > MAX_SK_BYTES)
            throw TiledException.badRequest("The path " + path + " is too long for the catalog");
        return Map.of(PK, s(pk), SK, s(sk));
    }

    static String tallyPk(NodePath container) { return TALLY_PREFIX + container.joined(); }

    static Map<String, AttributeValue> tallyKey(NodePath container, long block) {
        return Map.of(PK, s(tallyPk(container)), SK, s(String.format("%012d", block)));
    }

    /** The registration item of (node path, source): partition {@code "#reg/" + path}, sort key the source. */
    static Map<String, AttributeValue> registrationKey(NodePath path, String source) {
        String pk = REGISTRATION_PREFIX + path.joined();
        if (source == null || source.isEmpty()) throw TiledException.badRequest("A registration needs a source");
        if (pk.getBytes(StandardCharsets.UTF_8).length > MAX_PK_BYTES || source.getBytes(StandardCharsets.UTF_8).length > MAX_SK_BYTES)
            throw TiledException.badRequest("The path " + path + " or source '" + source + "' is too long for the catalog");
        return Map.of(PK, s(pk), SK, s(source));
    }

    /** Revision {@code number} of the node whose revision partition is {@code lineage}. */
    static Map<String, AttributeValue> revisionKey(String lineage, long number) {
        return Map.of(PK, s(REVISION_PREFIX + lineage), SK, s(String.format("%012d", number)));
    }

    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** Creates the table (on-demand billing, with its index) unless it exists, and waits until it is active. */
    public static void createIfMissing(DynamoDbClient dynamo, String table) {
        try {
            TableStatus status = dynamo.describeTable(b -> b.tableName(table)).table().tableStatus();
            if (status == TableStatus.ACTIVE) return;
        } catch (ResourceNotFoundException e) {
            try {
                dynamo.createTable(b -> b.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName(SEQ).attributeType(ScalarAttributeType.N).build())
                        .keySchema(
                                KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                        .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(BY_SEQ)
                                .keySchema(
                                        KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                                        KeySchemaElement.builder().attributeName(SEQ).keyType(KeyType.RANGE).build())
                                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                                .build()));
            } catch (ResourceInUseException raced) {
                // another process created it first
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (dynamo.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("table " + table + " did not become active");
            try {
                Thread.sleep(500);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + table, ie);
            }
        }
    }
}
