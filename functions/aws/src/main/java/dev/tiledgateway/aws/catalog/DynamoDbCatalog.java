package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.Catalog;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Registration;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.core.query.Distinct;
import dev.tiledgateway.core.query.Query;
import dev.tiledgateway.core.query.SearchPage;
import dev.tiledgateway.core.store.BlobStore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import static dev.tiledgateway.aws.catalog.CatalogTable.FAMILY;
import static dev.tiledgateway.aws.catalog.CatalogTable.IX;
import static dev.tiledgateway.aws.catalog.CatalogTable.IXD;
import static dev.tiledgateway.aws.catalog.CatalogTable.IXN;
import static dev.tiledgateway.aws.catalog.CatalogTable.KIDS;
import static dev.tiledgateway.aws.catalog.CatalogTable.LIVE;
import static dev.tiledgateway.aws.catalog.CatalogTable.PK;
import static dev.tiledgateway.aws.catalog.CatalogTable.REV;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQ;
import static dev.tiledgateway.aws.catalog.CatalogTable.SEQS;
import static dev.tiledgateway.aws.catalog.CatalogTable.SK;
import static dev.tiledgateway.aws.catalog.CatalogTable.SPILL;
import static dev.tiledgateway.aws.catalog.CatalogTable.n;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.number;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;
import static dev.tiledgateway.aws.catalog.CatalogTable.string;
import static dev.tiledgateway.aws.catalog.CatalogTable.tallyKey;

/**
 * The {@link Catalog} on one DynamoDB table; TABLE-DESIGN.md beside this module's pom describes the items,
 * the index, the access path of every operation and why no crash leaves a half-done write visible.
 *
 * <p>In short: a node is one item found by one GetItem; creating one reserves a sequence number on
 * its parent (a conditional counter update), then writes child, parent count, position tally and the child's search
 * index items in one transaction; replacing reads the node and updates it under the revision read, with the index
 * items that change ({@link Replacement}); deleting goes leaves-first, each batch one transaction with its index
 * items. Search reads the index ({@link IndexedSearch}). Service failures surface as {@link UncheckedIOException} (the router's 503).
 */
public final class DynamoDbCatalog implements Catalog {

    /**
     * How deep a page sorted by metadata may end: the window of best entries is kept in memory while the
     * container is read (about 200 bytes per entry plus the values sorted by).
     */
    public static final int MAX_SORT_WINDOW = 100_000;
    static final int DEFAULT_TALLY_BLOCK = 1024;
    private static final int BATCH_GET_MAX = 100;
    private static final int DRAIN_BATCH = 25;
    static final int MAX_ATTEMPTS = 30;
    /** What node writes read of an item: its place, revision, family, children, spilled document, index items and revisions. */
    static final String NODE_STATE = String.join(",", PK, SEQ, REV, FAMILY, KIDS, SPILL, IX, IXN, CatalogTable.REVISIONS);

    /** Called between the writes of one operation; tests throw from it to simulate a crash there. */
    @FunctionalInterface
    interface StepHook { void reached(String step); }

    private final DynamoDbClient dynamo;
    private final String table;
    private final NodeCodec codec;
    private final ChildPages pages;
    private volatile StepHook hook = step -> {};
    private final SequencedWrites sequenced = new SequencedWrites(this);
    private final IndexWrites index;
    private final IndexedSearch search;
    private final NodeRevisions revisions = new NodeRevisions(this);
    /**
     * Whether the children of containers read by {@link #get} are indexed ({@code ixd}), by path, with the revision
     * read: a search under a node just read needs no second read of its item. {@code ixd} changes only with a new
     * revision (a container written or replaced), so an entry answers only for the revision it was read at.
     */
    private final Map<NodePath, IndexedAt> indexedAt = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodePath, IndexedAt> e) { return size() > 4096; }
    });

    private record IndexedAt(long revision, boolean indexed) {}

    /**
     * @param spillStore where documents too large for an item go (normally the gateway's S3 store)
     */
    public DynamoDbCatalog(DynamoDbClient dynamo, String table, BlobStore spillStore) {
        this(dynamo, table, spillStore, NodeCodec.DEFAULT_SPILL_THRESHOLD, DEFAULT_TALLY_BLOCK);
    }

    DynamoDbCatalog(DynamoDbClient dynamo, String table, BlobStore spillStore, int spillThreshold, int tallyBlock) {
        this.dynamo = dynamo;
        this.table = table;
        this.codec = new NodeCodec(spillStore, spillThreshold);
        this.pages = new ChildPages(this, tallyBlock);
        this.index = new IndexWrites(table);
        this.search = new IndexedSearch(this);
    }

    void stepHook(StepHook h) { this.hook = h == null ? step -> {} : h; }

    DynamoDbClient dynamo() { return dynamo; }

    String table() { return table; }

    NodeCodec codec() { return codec; }

    int tallyBlock() { return pages.tallyBlock(); }

    IndexWrites index() { return index; }

    void dropTallies(NodePath container) { pages.dropTallies(container); }

    void reached(String step) { hook.reached(step); }

    /** Deletes the revisions of a node just removed, read as {@code item} ({@link NodeRevisions#purge}). */
    void purgeRevisions(Map<String, AttributeValue> item) { revisions.purge(item); }

    /** Writes the root item unless it exists (also done lazily by the first registration). */
    public void ensureRoot() {
        Map<String, AttributeValue> item = new HashMap<>(nodeKey(NodePath.ROOT));
        item.put(FAMILY, s(StructureFamily.CONTAINER.wire()));
        item.put(REV, n(1));
        item.put(CatalogTable.DOC, s("{\"m\":{},\"sp\":[]}"));
        item.put(KIDS, n(0));
        item.put(SEQS, n(0));
        item.put(IXD, n(1));
        try {
            io("PutItem", () -> dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))));
        } catch (ConditionalCheckFailedException exists) {
            // already there
        }
    }

    // ---- reads

    @Override
    public Optional<Node> get(NodePath path) {
        Map<String, AttributeValue> key;
        try {
            key = nodeKey(path);
        } catch (TiledException tooLong) {
            return Optional.empty(); // a path the table cannot hold names nothing
        }
        for (int i = 0; i < 3; i++) {
            Map<String, AttributeValue> item = getItem(key, null);
            if (item == null) return path.isRoot() ? Optional.of(Node.container(NodePath.ROOT, dev.tiledgateway.core.json.Json.object(), List.of()).withRevision(1)) : Optional.empty();
            Optional<Node> node = codec.decode(path, item);
            if (node.isPresent()) {
                if (node.get().knownChildren() >= 0) indexedAt.put(path, new IndexedAt(node.get().revision(), item.get(IXD) != null));
                return node;
            }
            // its spilled document was replaced under us: read the item again
        }
        throw new UncheckedIOException(new IOException("the spilled document of " + path + " keeps disappearing"));
    }

    @Override
    public long countChildren(NodePath parent) {
        Map<String, AttributeValue> item;
        try {
            item = getItem(nodeKey(parent), KIDS);
        } catch (TiledException tooLong) {
            return 0;
        }
        return item == null ? 0 : number(item, KIDS);
    }

    @Override
    public List<Node> children(NodePath parent, List<SortKey> sort, long offset, int limit) {
        ChildOrder order = ChildOrder.of(sort);
        if (limit <= 0) return List.of();
        long from = Math.max(0, offset);
        return switch (order.kind()) {
            case SEQ -> pages.bySeq(parent, order.direction() > 0, from, limit);
            case KEY -> pages.byKey(parent, order.direction() > 0, from, limit);
            case METADATA -> pages.inMemory(parent, order, from, limit);
        };
    }

    /**
     * Answered from the search index where a filter is indexed (TABLE-DESIGN.md, "Search index"), else by reading the
     * container once; either way every filter is evaluated on every candidate.
     */
    @Override
    public SearchPage search(NodePath parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        return search.search(parent, Node.CHILDREN_UNKNOWN, null, filters, sort, offset, limit);
    }

    /**
     * A listing's count is the one the container's item held when it was read (consistently, as a count read is); a
     * filtered search under a container {@link #get} read takes its number of children and {@code ixd} from that read.
     */
    @Override
    public SearchPage search(Node parent, List<Query> filters, List<SortKey> sort, long offset, int limit) {
        IndexedSearch.Container known = null;
        IndexedAt at = parent.knownChildren() >= 0 ? indexedAt.get(parent.path()) : null;
        if (at != null && at.revision() == parent.revision()) known = new IndexedSearch.Container(parent.knownChildren(), at.indexed());
        return search.search(parent.path(), parent.knownChildren(), known, filters, sort, offset, limit);
    }

    /** The distinct values of the children {@link #search} would find, counted as they are read. */
    @Override
    public Distinct distinct(NodePath parent, List<Query> filters, Distinct.Request request) {
        return search.distinct(parent, filters, request);
    }

    /** A consistent GetItem; null when absent. */
    Map<String, AttributeValue> getItem(Map<String, AttributeValue> key, String projection) {
        var r = io("GetItem", () -> dynamo.getItem(b -> {
            b.tableName(table).key(key).consistentRead(true);
            if (projection != null) {
                Map<String, String> names = new HashMap<>();
                StringBuilder p = new StringBuilder();
                for (String a : projection.split(",")) {
                    names.put("#" + a, a);
                    p.append(p.isEmpty() ? "" : ",").append('#').append(a);
                }
                b.projectionExpression(p.toString()).expressionAttributeNames(names);
            }
        }));
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    // ---- writes

    @Override
    public Node put(Node node) {
        NodePath path = node.path();
        if (path.isRoot()) throw TiledException.conflict("The root cannot be replaced");
        node.checkedForWrite();
        Map<String, AttributeValue> key = nodeKey(path);
        NodeCodec.Content content = codec.encode(node);
        if (content.spillKey() != null) hook.reached("spill-written");
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Map<String, AttributeValue> item = getItem(key, NODE_STATE);
                if (item == null) {
                    if (insert(node, key, content)) return node.withRevision(1);
                } else {
                    if (number(item, KIDS) > 0 && !node.isContainer())
                        throw TiledException.conflict("Cannot replace container " + path + " that has children with a non-container");
                    if (replace(node, key, item, content, null) == Outcome.WRITTEN) {
                        String oldSpill = string(item, SPILL);
                        if (oldSpill != null && !oldSpill.equals(content.spillKey())) codec.discard(oldSpill);
                        return node.withRevision(number(item, REV) + 1);
                    }
                }
                backoff(attempt); // lost a race with another writer of this path: read again
            }
        } catch (TiledException definite) {
            codec.discard(content.spillKey()); // nothing refers to it
            throw definite;
        }
        codec.discard(content.spillKey());
        throw contention(path);
    }

    /** What a conditional node write found. */
    enum Outcome { WRITTEN, STALE, RACED }

    /** Replaces the node read as {@code old} if it is still that revision, with its index changes ({@link Replacement}). */
    Outcome replace(Node node, Map<String, AttributeValue> key, Map<String, AttributeValue> old, NodeCodec.Content content,
                    TransactWriteItem guard) {
        return new Replacement(this, node, key, old, content, guard).commit();
    }

    /** As {@link #replace}, with more to write in the same step ({@link Replacement.Extra}). */
    Outcome replaceWith(Node node, Map<String, AttributeValue> key, Map<String, AttributeValue> old, NodeCodec.Content content,
                        Replacement.Extra extra) {
        return new Replacement(this, node, key, old, content, null, extra).commit();
    }

    /**
     * Reserves a sequence number on the parent, then writes child + parent count + tally + the child's index items
     * atomically. False when the child appeared meanwhile (the caller retries as a replacement; the reserved
     * number stays unused, a gap that readers never see).
     */
    private boolean insert(Node node, Map<String, AttributeValue> key, NodeCodec.Content content) {
        NodePath parent = node.path().parent();
        long seq = reserveSeq(parent);
        hook.reached("seq-reserved");
        List<SearchIndex.Entry> entries = IndexWrites.entries(node, seq);
        Map<String, AttributeValue> item = newItem(node, key, content, seq, entries);
        for (int attempt = 0; ; attempt++) {
            List<TransactWriteItem> tx = new ArrayList<>(List.of(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))).build(),
                    adjustCount(parent, 1),
                    adjustTally(parent, seq / pages.tallyBlock(), 1)));
            tx.addAll(index.puts(parent, node.path().key(), entries));
            try {
                transact(tx);
                return true;
            } catch (TransactionCanceledException e) {
                if (reason(e, 0).equals("ConditionalCheckFailed")) return false;
                if (reason(e, 1).equals("ConditionalCheckFailed")) throw parentProblem(parent);
                if (attempt >= MAX_ATTEMPTS || !retryable(e)) throw unavailable("TransactWriteItems", e);
                backoff(attempt);
            }
        }
    }

    /**
     * The item of a node created with sequence number {@code seq} among its siblings, at revision 1, listing its
     * index items {@code entries} ({@link IndexWrites#entries}).
     */
    static Map<String, AttributeValue> newItem(Node node, Map<String, AttributeValue> key, NodeCodec.Content content, long seq,
                                               List<SearchIndex.Entry> entries) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(SEQ, n(seq));
        item.put(REV, n(1));
        item.put(FAMILY, s(node.family().wire()));
        item.put(content.attributeName(), content.attribute());
        item.put(IX, IndexWrites.list(entries));
        if (node.isContainer()) {
            item.put(KIDS, n(0));
            item.put(SEQS, n(0));
            if (SearchIndex.indexable(node.path())) item.put(IXD, n(1));
        }
        return item;
    }

    /** The next sequence number of {@code parent}'s children: a conditional ADD on its counter. */
    long reserveSeq(NodePath parent) {
        for (int attempt = 0; ; attempt++) {
            try {
                var r = io("UpdateItem", () -> dynamo.updateItem(b -> b.tableName(table).key(nodeKey(parent))
                        .updateExpression("ADD #q :one")
                        .conditionExpression("attribute_exists(#pk) AND #f = :container")
                        .expressionAttributeNames(Map.of("#q", SEQS, "#pk", PK, "#f", FAMILY))
                        .expressionAttributeValues(Map.of(":one", n(1), ":container", s(StructureFamily.CONTAINER.wire())))
                        .returnValues(ReturnValue.UPDATED_NEW)));
                return number(r.attributes(), SEQS);
            } catch (ConditionalCheckFailedException e) {
                if (parent.isRoot() && attempt == 0) {
                    ensureRoot();
                    continue;
                }
                throw parentProblem(parent);
            }
        }
    }

    TiledException parentProblem(NodePath parent) {
        Map<String, AttributeValue> p = getItem(nodeKey(parent), FAMILY);
        if (p == null) return TiledException.notFound("No such entry: " + parent);
        return TiledException.conflict("Parent " + parent + " is not a container");
    }

    /** Adds {@code delta} to a container's child count, provided it still exists as a container. */
    TransactWriteItem adjustCount(NodePath container, long delta) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(nodeKey(container))
                .updateExpression("ADD #k :d")
                .conditionExpression("attribute_exists(#pk) AND #f = :container")
                .expressionAttributeNames(Map.of("#k", KIDS, "#pk", PK, "#f", FAMILY))
                .expressionAttributeValues(Map.of(":d", n(delta), ":container", s(StructureFamily.CONTAINER.wire())))).build();
    }

    TransactWriteItem adjustTally(NodePath container, long block, long delta) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(tallyKey(container, block))
                .updateExpression("ADD #l :d")
                .expressionAttributeNames(Map.of("#l", LIVE))
                .expressionAttributeValues(Map.of(":d", n(delta)))).build();
    }

    @Override
    public boolean delete(NodePath path) {
        if (path.isRoot()) throw TiledException.conflict("The root cannot be deleted");
        Map<String, AttributeValue> key;
        try {
            key = nodeKey(path);
        } catch (TiledException tooLong) {
            return false;
        }
        Map<String, AttributeValue> item = getItem(key, NODE_STATE);
        if (item == null) return false;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (item == null) return true; // someone else finished the job (or ours did, its reply lost)
            boolean container = StructureFamily.CONTAINER.wire().equals(string(item, FAMILY));
            if (container && number(item, KIDS) > 0) drain(path);
            hook.reached("children-removed");
            try {
                List<TransactWriteItem> tx = new ArrayList<>(List.of(removeIfEmpty(key, item), adjustCount(path.parent(), -1),
                        adjustTally(path.parent(), number(item, SEQ) / pages.tallyBlock(), -1)));
                tx.addAll(dropIndex(path, item));
                transact(tx);
                codec.discard(string(item, SPILL));
                revisions.purge(item);
                if (container) pages.dropTallies(path);
                return true;
            } catch (TransactionCanceledException e) {
                if (!retryable(e) && !reason(e, 0).equals("ConditionalCheckFailed")) throw unavailable("TransactWriteItems", e);
                backoff(attempt); // it changed, gained children, or a concurrent write conflicted: look again
            }
            String spill = string(item, SPILL);
            item = getItem(key, NODE_STATE);
            if (item == null) codec.discard(spill); // removed after all: whoever did it, the document read is nobody's now
        }
        throw contention(path);
    }

    /** Deletes the item if it is still the revision (and index) read and holds no children. */
    TransactWriteItem removeIfEmpty(Map<String, AttributeValue> key, Map<String, AttributeValue> item) {
        Map<String, String> names = new HashMap<>(Map.of("#r", REV, "#k", KIDS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":r", n(number(item, REV)), ":z", n(0)));
        String condition = "#r = :r AND (attribute_not_exists(#k) OR #k = :z) AND " + IndexWrites.unchangedIndex(item, names, values);
        return TransactWriteItem.builder().delete(d -> d.tableName(table).key(key)
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    /** Deletes of the index items of the node at {@code path} read as {@code item}: they go in its removal's transaction. */
    List<TransactWriteItem> dropIndex(NodePath path, Map<String, AttributeValue> item) {
        return index.deletes(path.parent(), IndexWrites.listed(item));
    }

    /**
     * Removes every child of {@code container}, deepest first: each batch of up to 25 empty siblings goes in one
     * transaction with their index items, the container's count and tallies (as many as fit 100 actions), so the
     * tree is whole after each.
     */
    void drain(NodePath container) {
        for (int round = 0; ; round++) {
            List<Map<String, AttributeValue>> listed = pages.childItems(container, DRAIN_BATCH, String.join(",", NODE_STATE, SK));
            if (listed.isEmpty()) return;
            for (Map<String, AttributeValue> child : listed) {
                if (number(child, KIDS) > 0) drain(container.child(string(child, SK)));
            }
            List<Map<String, AttributeValue>> batch = new ArrayList<>();
            List<TransactWriteItem> tx = new ArrayList<>();
            Map<Long, Long> blocks = new LinkedHashMap<>();
            for (Map<String, AttributeValue> child : listed) {
                NodePath path = container.child(string(child, SK));
                List<TransactWriteItem> index = dropIndex(path, child);
                long block = number(child, SEQ) / pages.tallyBlock();
                int after = tx.size() + 1 + index.size() + 1 + blocks.size() + (blocks.containsKey(block) ? 0 : 1);
                if (!batch.isEmpty() && after > IndexWrites.MAX_ACTIONS) break; // the rest goes in the next batch
                batch.add(child);
                tx.add(removeIfEmpty(nodeKey(path), child));
                tx.addAll(index);
                blocks.merge(block, 1L, Long::sum);
            }
            tx.add(adjustCount(container, -batch.size()));
            blocks.forEach((block, k) -> tx.add(adjustTally(container, block, -k)));
            try {
                transact(tx);
            } catch (TransactionCanceledException e) {
                if (round >= MAX_ATTEMPTS) throw contention(container);
                backoff(round); // a child changed or gained children meanwhile: list again
                continue;
            }
            hook.reached("batch-removed");
            for (Map<String, AttributeValue> child : batch) {
                codec.discard(string(child, SPILL));
                revisions.purge(child);
                if (StructureFamily.CONTAINER.wire().equals(string(child, FAMILY))) pages.dropTallies(container.child(string(child, SK)));
            }
        }
    }

    // ---- registration from storage events (SequencedWrites; TABLE-DESIGN.md, "Registration from storage events")

    @Override
    public Optional<Node> putIfNewer(Node node, String source, String sequencer) { return sequenced.put(node.checkedForWrite(), source, sequencer); }

    @Override
    public boolean removeIfNewer(NodePath path, String source, String sequencer) { return sequenced.remove(path, source, sequencer); }

    @Override
    public Optional<Node> replaceIfRevision(Node node, long revision) { return sequenced.replaceIfRevision(node.checkedForWrite(), revision); }

    @Override
    public List<Registration> registrations(NodePath path) { return sequenced.registrations(path); }

    /** Like the insert half of {@link #put}: a node that exists already, or appears meanwhile, is left alone. */
    @Override
    public Optional<Node> createIfAbsent(Node node) {
        if (node.path().isRoot()) return Optional.empty();
        node.checkedForWrite();
        Map<String, AttributeValue> key = nodeKey(node.path());
        if (getItem(key, PK) != null) return Optional.empty();
        NodeCodec.Content content = codec.encode(node);
        try {
            if (insert(node, key, content)) return Optional.of(node.withRevision(1));
        } catch (RuntimeException e) {
            codec.discard(content.spillKey());
            throw e;
        }
        codec.discard(content.spillKey());
        return Optional.empty();
    }

    /** One conditional transaction: deleted only while it is the revision read, a container, and has no children. */
    @Override
    public boolean removeIfEmptyContainer(NodePath path) {
        if (path.isRoot()) return false;
        Map<String, AttributeValue> key;
        try {
            key = nodeKey(path);
        } catch (TiledException tooLong) {
            return false;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = getItem(key, null);
            if (item == null || number(item, KIDS) > 0) return false;
            Optional<Node> node = codec.decode(path, item);
            if (node.isEmpty() || !node.get().isBareContainer()) return false;
            try {
                List<TransactWriteItem> tx = new ArrayList<>(List.of(removeIfEmpty(key, item), adjustCount(path.parent(), -1),
                        adjustTally(path.parent(), number(item, SEQ) / pages.tallyBlock(), -1)));
                tx.addAll(dropIndex(path, item));
                transact(tx);
            } catch (TransactionCanceledException e) {
                if (cancelledBy(e, "ConditionalCheckFailed")) return false; // changed or gained a child: no longer known to be empty
                if (!retryable(e)) throw unavailable("TransactWriteItems", e);
                backoff(attempt); // a conflict or a throttle says nothing about the folder: look again
                continue;
            }
            codec.discard(string(item, SPILL));
            revisions.purge(item);
            pages.dropTallies(path);
            return true;
        }
        throw contention(path);
    }

    // ---- metadata updates and revisions (NodeRevisions; TABLE-DESIGN.md, "Metadata updates and revisions")

    @Override
    public Optional<Node> updateMetadata(NodePath path, long expectedRevision, com.fasterxml.jackson.databind.node.ObjectNode metadata,
                                         List<dev.tiledgateway.core.catalog.Spec> specs, boolean saveRevision) {
        return revisions.update(path, expectedRevision, metadata, specs, saveRevision);
    }

    @Override
    public List<dev.tiledgateway.core.catalog.Revision> revisions(NodePath path, long offset, int limit) { return revisions.list(path, offset, limit); }

    @Override
    public long countRevisions(NodePath path) { return revisions.count(path); }

    @Override
    public boolean deleteRevision(NodePath path, long number) { return revisions.delete(path, number); }

    // ---- plumbing

    void transact(List<TransactWriteItem> items) {
        String token = UUID.randomUUID().toString(); // makes the SDK's own retries of this call idempotent
        io("TransactWriteItems", () -> dynamo.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token)));
    }

    static String reason(TransactionCanceledException e, int i) {
        List<CancellationReason> r = e.cancellationReasons();
        if (r == null || r.size() <= i || r.get(i).code() == null) return "None";
        return r.get(i).code();
    }

    /** Whether any item of the cancelled transaction gave this reason. */
    static boolean cancelledBy(TransactionCanceledException e, String code) {
        if (e.cancellationReasons() == null) return false;
        for (CancellationReason r : e.cancellationReasons()) if (code.equals(r.code())) return true;
        return false;
    }

    static boolean retryable(TransactionCanceledException e) {
        if (e.cancellationReasons() == null) return false;
        for (CancellationReason r : e.cancellationReasons()) {
            if ("TransactionConflict".equals(r.code()) || "ThrottlingError".equals(r.code()) || "ProvisionedThroughputExceeded".equals(r.code())) return true;
        }
        return false;
    }

    static void backoff(int attempt) {
        long cap = Math.min(500, 10L << Math.min(attempt, 6));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }

    UncheckedIOException contention(NodePath path) {
        return new UncheckedIOException(new IOException("too many concurrent writers on " + path + " in " + table + "; try again"));
    }

    UncheckedIOException unavailable(String what, SdkException e) {
        return new UncheckedIOException(new IOException("DynamoDB " + what + " on " + table + " failed: " + e.getMessage(), e));
    }

    /** Runs one DynamoDB call; service and client failures become IOExceptions, conditional outcomes pass. */
    <T> T io(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException | TransactionCanceledException outcome) {
            throw outcome;
        } catch (SdkException e) {
            throw unavailable(what, e);
        }
    }
}
