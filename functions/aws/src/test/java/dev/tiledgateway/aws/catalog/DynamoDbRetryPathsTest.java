package dev.tiledgateway.aws.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.DynamoFaults;
import dev.tiledgateway.core.catalog.Asset;
import dev.tiledgateway.core.catalog.DataSource;
import dev.tiledgateway.core.catalog.Node;
import dev.tiledgateway.core.catalog.Registration;
import dev.tiledgateway.core.catalog.Sequencers;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.catalog.Spec;
import dev.tiledgateway.core.catalog.StructureFamily;
import dev.tiledgateway.core.error.TiledException;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.core.path.NodePath;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.tiledgateway.aws.DynamoFaults.any;
import static dev.tiledgateway.aws.DynamoFaults.cancelled;
import static dev.tiledgateway.aws.DynamoFaults.deleting;
import static dev.tiledgateway.aws.DynamoFaults.deletingAtLeast;
import static dev.tiledgateway.aws.DynamoFaults.internalError;
import static dev.tiledgateway.aws.DynamoFaults.throttled;
import static dev.tiledgateway.aws.DynamoFaults.touching;
import static dev.tiledgateway.aws.catalog.CatalogTable.nodeKey;
import static dev.tiledgateway.aws.catalog.CatalogTable.registrationKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every conflict and retry branch of {@link DynamoDbCatalog} and {@link SequencedWrites}, run against moto with faults
 * injected into the SDK client ({@link DynamoFaults}): cancelled transactions, throttles, replies lost after a commit,
 * and rival writers that act between a read and its conditional write. moto alone never takes these branches (it runs
 * one request at a time). Each test then checks the outcome, not the path: the node holds the right content, the
 * counts and positions of its container equal its children, and no older event overwrote a newer one.
 */
@Tag("emulator")
class DynamoDbRetryPathsTest {

    private static final NodePath BASE = NodePath.of("base");
    private static final String TX = "TransactWriteItems";

    private final DynamoFaults faults = new DynamoFaults();
    private DynamoDbClient faulty;
    /** The catalog under test: its client meets the faults. */
    private DynamoDbCatalog c;
    /** Another writer on the same table, through a client without faults. */
    private DynamoDbCatalog rival;

    @BeforeEach
    void tables(TestInfo info) {
        String table = MotoCatalogs.newTable("retry");
        faulty = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint()).dynamo(faults);
        c = new DynamoDbCatalog(faulty, table, MotoCatalogs.spillStore());
        rival = new DynamoDbCatalog(MotoCatalogs.dynamo(), table, MotoCatalogs.spillStore());
        rival.put(Node.container(BASE, Json.object(), List.of()));
    }

    @AfterEach
    void close() { faulty.close(); }

    private static Node leaf(NodePath path, int v) {
        ObjectNode structure = Json.object();
        structure.putArray("shape").add(3);
        return new Node(path, StructureFamily.ARRAY, Json.object().put("v", v), List.of(new Spec("demo", "1")), structure,
                new DataSource("application/x-zarr", List.of(new Asset("data/" + path.joined() + "/", true, "data_uri"))), null, 0);
    }

    private static Node folder(NodePath path) { return Node.container(path, Json.object(), List.of()); }

    private static String sq(int n) { return String.format("%04X", n); }

    private int v(NodePath path) { return rival.get(path).orElseThrow().metadata().get("v").asInt(); }

    /**
     * The container's count, its listing in both orders, every one-child page (which the position tallies serve) and
     * the items in its partition all agree with {@code expected}; the table's search index items are those of its nodes.
     */
    private void assertExactChildren(NodePath container, String... expected) {
        List<String> want = new ArrayList<>(List.of(expected));
        Collections.sort(want);
        assertEquals(want.size(), rival.countChildren(container), "the child count of " + container);
        List<String> listed = keys(rival.children(container, List.of(), 0, 1000));
        List<String> sorted = new ArrayList<>(listed);
        Collections.sort(sorted);
        assertEquals(want, sorted, "the children listed under " + container);
        List<String> reversed = new ArrayList<>(listed);
        Collections.reverse(reversed);
        assertEquals(reversed, keys(rival.children(container, List.of(new SortKey("", -1)), 0, 1000)));
        for (int i = 0; i < listed.size(); i++) {
            assertEquals(List.of(listed.get(i)), keys(rival.children(container, List.of(), i, 1)), "the page at offset " + i);
        }
        assertEquals(List.of(), rival.children(container, List.of(), listed.size(), 1));
        int items = rival.dynamo().query(q -> q.tableName(rival.table()).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.builder().s(CatalogTable.childPk(container)).build()))).count();
        assertEquals(want.size(), items, "the items stored under " + container);
        IndexAudit.assertConsistent(rival);
    }

    private static List<String> keys(List<Node> nodes) {
        List<String> k = new ArrayList<>();
        for (Node n : nodes) k.add(n.path().key());
        return k;
    }

    // ---- DynamoDbCatalog: put (insert, replace), delete, drain, removeIfEmptyContainer

    @ParameterizedTest
    @ValueSource(strings = {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})
    void anInsertCancelledForATransientReasonIsRetriedAndCountedOnce(String reason) {
        NodePath a = BASE.child("a");
        faults.refuse(TX, touching(nodeKey(a)), 3, cancelled("None", reason, "None"));
        assertEquals(1, c.put(leaf(a, 1)).revision());
        assertEquals(3, faults.fired());
        assertEquals(1, v(a));
        assertExactChildren(BASE, "a");
    }

    @Test
    void requestsThrottledByDynamoDbAreRetriedByTheSdkOnEveryStepOfAWrite() {
        NodePath a = BASE.child("a");
        faults.refuse("GetItem", any(), 3, throttled())
                .refuse("UpdateItem", touching(nodeKey(BASE)), 3, DynamoFaults.overProvisioned()) // the sequence number
                .refuse(TX, any(), 3, throttled());
        assertEquals(1, c.put(leaf(a, 1)).revision()); // read, sequence number, transaction
        assertEquals(9, faults.fired());
        faults.refuse("GetItem", any(), 3, throttled()).refuse(TX, any(), 3, throttled());
        assertTrue(c.delete(a));
        assertEquals(15, faults.fired());
        assertExactChildren(BASE);
    }

    @Test
    void aWriteThrottledBeyondTheSdkAttemptsFailsAsUnavailableAndLeavesNothingHalfDone() {
        NodePath a = BASE.child("a");
        faults.refuse(TX, any(), AwsClients.MAX_ATTEMPTS, throttled());
        assertThrows(UncheckedIOException.class, () -> c.put(leaf(a, 1)));
        assertEquals(AwsClients.MAX_ATTEMPTS, faults.fired());
        assertTrue(rival.get(a).isEmpty());
        assertExactChildren(BASE);
        assertEquals(1, c.put(leaf(a, 1)).revision()); // the number it reserved is a gap nobody sees
        assertExactChildren(BASE, "a");
    }

    @Test
    void aRivalCreatingTheSameNodeFirstTurnsTheInsertIntoAReplacement() {
        NodePath a = BASE.child("a");
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.put(leaf(a, 100)));
        Node stored = c.put(leaf(a, 1));
        assertEquals(1, faults.fired());
        assertEquals(2, stored.revision());
        assertEquals(1, v(a), "the later put wins");
        assertEquals(2, rival.get(a).orElseThrow().revision());
        assertExactChildren(BASE, "a");
    }

    @Test
    void aRivalDeletingTheNodeFirstTurnsTheReplacementIntoAnInsert() {
        NodePath a = BASE.child("a");
        rival.put(leaf(a, 1));
        // The replacement reads the node, then commits under the revision read (with its index items): the rival's
        // delete comes in between.
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.delete(a));
        assertEquals(1, c.put(leaf(a, 2)).revision());
        assertEquals(1, faults.fired());
        assertEquals(2, v(a));
        assertExactChildren(BASE, "a");
    }

    @Test
    void aParentDeletedBeforeTheInsertCommitsIsNotFoundAndLeavesNoOrphan() {
        NodePath sub = BASE.child("sub");
        rival.put(folder(sub));
        faults.before(TX, touching(nodeKey(sub.child("x"))), 1, () -> rival.delete(sub));
        assertEquals(404, assertThrows(TiledException.class, () -> c.put(leaf(sub.child("x"), 1))).status());
        assertTrue(rival.get(sub.child("x")).isEmpty());
        assertExactChildren(sub);
        assertExactChildren(BASE);
    }

    @Test
    void aDeleteThatMeetsAConflictAndThenANewChildLooksAgainAndRemovesTheWholeSubtree() {
        NodePath sub = BASE.child("sub");
        rival.put(folder(sub));
        for (int i = 0; i < 3; i++) rival.put(leaf(sub.child("x" + i), i));
        faults.refuse(TX, deleting(nodeKey(sub)), 1, cancelled("TransactionConflict", "None", "None"))
                .before(TX, deleting(nodeKey(sub)), 1, () -> rival.put(leaf(sub.child("late"), 9)));
        assertTrue(c.delete(sub));
        assertEquals(2, faults.fired());
        assertTrue(rival.get(sub).isEmpty());
        assertTrue(rival.get(sub.child("late")).isEmpty());
        assertExactChildren(sub);
        assertExactChildren(BASE);
    }

    @Test
    void aSubtreeBatchCancelledOrWhoseReplyWasLostIsListedAgainAndCountedOnce() {
        NodePath sub = BASE.child("sub");
        rival.put(folder(sub));
        rival.put(leaf(BASE.child("kept"), 0));
        for (int i = 0; i < 60; i++) rival.put(leaf(sub.child("x" + i), i));
        faults.refuse(TX, deletingAtLeast(2), 1, cancelled("TransactionConflict"))
                .loseReply(TX, deletingAtLeast(2), 1, internalError());
        assertTrue(c.delete(sub));
        assertEquals(2, faults.fired());
        assertTrue(rival.get(sub).isEmpty());
        assertExactChildren(sub);
        assertExactChildren(BASE, "kept");
    }

    @Test
    void aLostReplyToACommittedWriteIsNeverCountedTwice() {
        NodePath a = BASE.child("a");
        NodePath b = BASE.child("b");
        // The SDK sends a write again when its reply is lost; on DynamoDB the transaction's token makes that a no-op,
        // an emulator without tokens applies the conditions again: either way one child, counted once.
        faults.loseReply(TX, touching(nodeKey(a)), 1, internalError())
                .loseReply("UpdateItem", touching(nodeKey(BASE)), 1, internalError()); // a sequence number, taken twice: a gap
        c.put(leaf(a, 1));
        c.put(leaf(b, 1));
        assertEquals(2, faults.fired());
        assertExactChildren(BASE, "a", "b");
        assertEquals(1, v(a));

        faults.loseReply(TX, touching(nodeKey(a)), 1, internalError());
        assertTrue(c.delete(a));
        assertEquals(3, faults.fired());
        assertTrue(rival.get(a).isEmpty());
        assertExactChildren(BASE, "b");
    }

    @Test
    void removingAnEmptyFolderRetriesAConflictButGivesWayToANewChild() {
        NodePath empty = BASE.child("empty");
        NodePath filled = BASE.child("filled");
        rival.put(folder(empty));
        rival.put(folder(filled));
        faults.refuse(TX, deleting(nodeKey(empty)), 2, cancelled("TransactionConflict", "None", "None"));
        assertTrue(c.removeIfEmptyContainer(empty), "a conflict says nothing about the folder: it is still empty");
        assertEquals(2, faults.fired());
        faults.before(TX, deleting(nodeKey(filled)), 1, () -> rival.put(leaf(filled.child("x"), 1)));
        assertFalse(c.removeIfEmptyContainer(filled));
        assertEquals(3, faults.fired());
        assertExactChildren(BASE, "filled");
        assertExactChildren(filled, "x");
    }

    // ---- SequencedWrites: putIfNewer / removeIfNewer / replaceIfRevision

    @Test
    void aNewerCreationAppliedWhileAnOlderOneIsInFlightIsNotOverwritten() {
        NodePath a = BASE.child("a");
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.putIfNewer(leaf(a, 2), "a.zarr", sq(2)));
        assertTrue(c.putIfNewer(leaf(a, 1), "a.zarr", sq(1)).isEmpty(), "the older event is stale");
        assertEquals(1, faults.fired());
        assertEquals(2, v(a));
        assertEquals(List.of(new Registration("a.zarr", Sequencers.normalize(sq(2)), false)), rival.registrations(a));
        assertExactChildren(BASE, "a");
    }

    @Test
    void aNewerReplacementAppliedWhileAnOlderOneIsInFlightIsNotOverwritten() {
        NodePath a = BASE.child("a");
        rival.putIfNewer(leaf(a, 1), "a.zarr", sq(1));
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.putIfNewer(leaf(a, 3), "a.zarr", sq(3)));
        assertTrue(c.putIfNewer(leaf(a, 2), "a.zarr", sq(2)).isEmpty());
        assertEquals(1, faults.fired());
        assertEquals(3, v(a));
        assertExactChildren(BASE, "a");
    }

    @Test
    void aNewerCreationAppliedWhileAnOlderRemovalIsInFlightIsNotRemoved() {
        NodePath a = BASE.child("a");
        rival.putIfNewer(leaf(a, 1), "a.zarr", sq(1));
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.putIfNewer(leaf(a, 3), "a.zarr", sq(3)));
        assertFalse(c.removeIfNewer(a, "a.zarr", sq(2)));
        assertEquals(1, faults.fired());
        assertEquals(3, v(a));
        assertExactChildren(BASE, "a");
    }

    @Test
    void aNewerRemovalAppliedWhileAnOlderCreationIsInFlightIsNotUndone() {
        NodePath a = BASE.child("a");
        rival.putIfNewer(leaf(a, 1), "a.zarr", sq(1));
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.removeIfNewer(a, "a.zarr", sq(3)));
        assertTrue(c.putIfNewer(leaf(a, 2), "a.zarr", sq(2)).isEmpty());
        assertEquals(1, faults.fired());
        assertTrue(rival.get(a).isEmpty());
        assertEquals(List.of(new Registration("a.zarr", Sequencers.normalize(sq(3)), true)), rival.registrations(a));
        assertExactChildren(BASE);
    }

    // Where a newer event leaves the node as it was (only its registration moves on), the node's own condition cannot
    // see it: the registration's condition, in the same transaction, is all that stops the older write.

    @Test
    void aNewerRemovalRecordedWhereNoNodeIsStopsAnOlderCreationInFlight() {
        NodePath a = BASE.child("a");
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.removeIfNewer(a, "a.zarr", sq(3)));
        assertTrue(c.putIfNewer(leaf(a, 1), "a.zarr", sq(1)).isEmpty());
        assertEquals(1, faults.fired());
        assertTrue(rival.get(a).isEmpty());
        assertEquals(List.of(new Registration("a.zarr", Sequencers.normalize(sq(3)), true)), rival.registrations(a));
        assertExactChildren(BASE);
    }

    @Test
    void aNewerEventOfTheSameContentStopsAnOlderReplacementInFlight() {
        NodePath a = BASE.child("a");
        rival.putIfNewer(leaf(a, 1), "a.zarr", sq(1));
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.putIfNewer(leaf(a, 1), "a.zarr", sq(3)));
        assertTrue(c.putIfNewer(leaf(a, 2), "a.zarr", sq(2)).isEmpty());
        assertEquals(1, faults.fired());
        assertEquals(1, v(a));
        assertEquals(1, rival.get(a).orElseThrow().revision());
        assertExactChildren(BASE, "a");
    }

    @Test
    void aNewerEventOfTheSameContentStopsAnOlderRemovalInFlight() {
        NodePath a = BASE.child("a");
        rival.putIfNewer(leaf(a, 1), "a.zarr", sq(1));
        faults.before(TX, deleting(nodeKey(a)), 1, () -> rival.putIfNewer(leaf(a, 1), "a.zarr", sq(3)));
        assertFalse(c.removeIfNewer(a, "a.zarr", sq(2)));
        assertEquals(1, faults.fired());
        assertEquals(1, v(a));
        assertEquals(List.of(new Registration("a.zarr", Sequencers.normalize(sq(3)), false)), rival.registrations(a));
        assertExactChildren(BASE, "a");
    }

    @Test
    void sequencedWritesRetryTransientCancellationsAndApplyOnce() {
        NodePath a = BASE.child("a");
        String conflict = "TransactionConflict";
        faults.refuse(TX, touching(nodeKey(a)), 2, cancelled("None", conflict, "None", "None"));
        assertEquals(1, c.putIfNewer(leaf(a, 1), "a.zarr", sq(1)).orElseThrow().revision());
        faults.refuse(TX, touching(nodeKey(a)), 2, cancelled(conflict, "None"));
        assertEquals(2, c.putIfNewer(leaf(a, 2), "a.zarr", sq(2)).orElseThrow().revision());
        assertEquals(2, v(a));
        assertExactChildren(BASE, "a");
        faults.refuse(TX, touching(nodeKey(a)), 2, cancelled("None", "None", "None", conflict));
        assertTrue(c.removeIfNewer(a, "a.zarr", sq(3)));
        assertEquals(6, faults.fired());
        assertTrue(rival.get(a).isEmpty());
        assertEquals(List.of(new Registration("a.zarr", Sequencers.normalize(sq(3)), true)), rival.registrations(a));
        assertExactChildren(BASE);
    }

    @Test
    void aLostReplyToASequencedWriteLeavesTheStateItsEventAsksFor() {
        NodePath a = BASE.child("a");
        faults.loseReply(TX, touching(nodeKey(a)), 1, internalError());
        assertEquals(1, c.putIfNewer(leaf(a, 1), "a.zarr", sq(1)).orElseThrow().metadata().get("v").asInt());
        assertExactChildren(BASE, "a");
        faults.loseReply(TX, touching(nodeKey(a)), 1, internalError());
        assertEquals(2, c.putIfNewer(leaf(a, 2), "a.zarr", sq(2)).orElseThrow().metadata().get("v").asInt());
        assertEquals(2, v(a));
        faults.loseReply(TX, touching(nodeKey(a)), 1, internalError());
        assertTrue(c.removeIfNewer(a, "a.zarr", sq(3)), "the removal was applied, though its first reply was lost");
        assertEquals(3, faults.fired());
        assertTrue(rival.get(a).isEmpty());
        assertEquals(List.of(new Registration("a.zarr", Sequencers.normalize(sq(3)), true)), rival.registrations(a));
        assertExactChildren(BASE);
        // The removal stays recorded: the creation delivered again later is stale.
        assertTrue(c.putIfNewer(leaf(a, 2), "a.zarr", sq(2)).isEmpty());
        assertExactChildren(BASE);
    }

    @Test
    void aRecordOnlyWriteRacedByANewerEventIsStale() {
        NodePath a = BASE.child("a");
        rival.putIfNewer(leaf(a, 1), "a.zarr", sq(1));
        // The same content again records only the sequencer; a newer removal comes first.
        faults.before("UpdateItem", touching(registrationKey(a, "a.zarr")), 1, () -> rival.removeIfNewer(a, "a.zarr", sq(3)));
        assertTrue(c.putIfNewer(leaf(a, 1), "a.zarr", sq(2)).isEmpty());
        assertEquals(1, faults.fired());
        assertTrue(rival.get(a).isEmpty());
        assertExactChildren(BASE);
    }

    @Test
    void aCompareAndSetRacedByAnotherWriterKeepsTheOtherWritersNode() {
        NodePath a = BASE.child("a");
        rival.put(leaf(a, 1));
        faults.refuse(TX, touching(nodeKey(a)), 2, cancelled("TransactionConflict"));
        assertEquals(2, c.replaceIfRevision(leaf(a, 2), 1).orElseThrow().revision());
        faults.before(TX, touching(nodeKey(a)), 1, () -> rival.put(leaf(a, 30)));
        assertTrue(c.replaceIfRevision(leaf(a, 3), 2).isEmpty());
        assertEquals(3, faults.fired());
        assertEquals(30, v(a));
        assertEquals(3, rival.get(a).orElseThrow().revision());
        assertExactChildren(BASE, "a");
    }
}
