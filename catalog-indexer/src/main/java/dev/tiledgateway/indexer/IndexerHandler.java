package dev.tiledgateway.indexer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.backend.Backend;
import dev.tiledgateway.core.backend.BackendFactory;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.EventBatch;
import dev.tiledgateway.indexer.event.ObjectEvent;
import dev.tiledgateway.indexer.event.S3Events;
import dev.tiledgateway.indexer.plan.KeyLayout;
import dev.tiledgateway.indexer.plan.Target;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The catalog-indexer Lambda function: S3 event notifications (directly, through SQS or SNS, or from
 * EventBridge) in, catalog nodes out.
 *
 * <p>From an SQS batch it returns {@code {"batchItemFailures": [{"itemIdentifier": messageId}, ...]}} (the
 * event source mapping must enable ReportBatchItemFailures): a message fails only when something worth
 * retrying failed (the store or the catalog could not be reached), so SQS redelivers it and, after the
 * queue's maxReceiveCount, moves it to the dead-letter queue. An unreadable object is not a failure: it
 * is logged with its reason and handed to {@link DeadLetters} at once, and the rest of the batch goes on.
 * A direct invocation handles every record and then throws if any failed that way (Lambda's own retries
 * and on-failure destination apply).
 *
 * <p>Every outcome is one JSON log line: {@code {"indexer": action, "key": ..., "path": ..., "detail": ...}}, except the
 * routine ones that change nothing ({@link Indexer#routine}: a Zarr chunk, the gateway's own objects), of which an
 * upload brings many; skips for any other reason keep their line.
 */
public final class IndexerHandler implements RequestStreamHandler {

    private final Indexer indexer;
    private final DeadLetters deadLetters;
    private final Consumer<String> log;

    /** For Lambda: storage from the environment (as the API function), dead letters from {@link SqsDeadLetters#QUEUE_URL}. */
    public IndexerHandler() {
        this(System.getenv());
    }

    private IndexerHandler(Map<String, String> env) {
        this(env, null);
    }

    private IndexerHandler(Map<String, String> env, Consumer<String> log) {
        this(indexer(BackendFactory.fromEnvironment(env), IndexerSettings.fromEnvironment(env)), SqsDeadLetters.fromEnvironment(env), log);
    }

    /**
     * The handler Lambda builds from this environment (the function's variables and the runtime's).
     *
     * @param log where outcome lines go; null for the Lambda logger
     */
    public static IndexerHandler fromEnvironment(Map<String, String> env, Consumer<String> log) { return new IndexerHandler(env, log); }

    /** @param log where outcome lines go; null for the Lambda logger (stdout outside Lambda) */
    public IndexerHandler(Indexer indexer, DeadLetters deadLetters, Consumer<String> log) {
        this.indexer = indexer;
        this.deadLetters = deadLetters;
        this.log = log;
    }

    public static Indexer indexer(Backend backend, IndexerSettings settings) {
        return new Indexer(backend.catalog(), backend.store(), settings);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Consumer<String> out = log != null ? log : context != null && context.getLogger() != null ? context.getLogger()::log : System.out::println;
        EventBatch batch = S3Events.parse(input.readAllBytes());
        List<String> failed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<ObjectEvent> folded = foldChunkEvents(batch); // routine: not logged, as other chunk events are not
        for (EventBatch.Message m : batch.messages()) {
            String error = handle(m, folded, out);
            if (error != null) {
                failed.add(m.id());
                errors.add(error);
            }
        }
        if (!batch.sqs() && !errors.isEmpty()) throw new IOException(errors.size() + " of the records could not be indexed; first: " + errors.getFirst());
        ObjectNode response = Json.object();
        ArrayNode items = response.putArray("batchItemFailures");
        for (String id : failed) items.addObject().put("itemIdentifier", id);
        output.write(Json.bytes(response));
    }

    /**
     * The chunk events of a batch that a later chunk event of the same folder answers: a chunk's event moves
     * its array's fingerprint on, and one move after all of them were written is as good as one per chunk
     * (an upload of a thousand chunks makes one catalog write per folder and batch, not a thousand).
     * Should that later event fail, its message is retried, and the move happens then.
     */
    private Set<ObjectEvent> foldChunkEvents(EventBatch batch) {
        Map<String, ObjectEvent> last = new HashMap<>();
        List<ObjectEvent> chunks = new ArrayList<>();
        for (EventBatch.Message m : batch.messages()) {
            if (m.malformed() != null) continue;
            for (ObjectEvent e : m.events()) {
                Optional<String> key = indexer.layout().storeKey(e.bucket(), e.key());
                if (key.isEmpty() || !(indexer.planner().targetOf(key.get()) instanceof Target.ZarrChunk)) continue;
                chunks.add(e);
                last.put(KeyLayout.parentPrefix(key.get()), e);
            }
        }
        Set<ObjectEvent> folded = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<ObjectEvent> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(last.values());
        for (ObjectEvent e : chunks) if (!kept.contains(e)) folded.add(e);
        return folded;
    }

    /** Handles one message's events in order (but those {@code folded}); null when done, else why it should be retried. */
    private String handle(EventBatch.Message m, Set<ObjectEvent> folded, Consumer<String> out) {
        if (m.malformed() != null) {
            out.accept(line("UNREADABLE", null, null, "malformed message " + m.id() + ": " + m.malformed()));
            return null; // redelivering the same bytes cannot help
        }
        for (String i : m.ignored()) out.accept(line("IGNORED", null, null, i));
        String failure = null;
        for (ObjectEvent e : m.events()) {
            if (folded.contains(e)) continue;
            try {
                Outcome o = indexer.process(e);
                boolean quiet = (o.action() == Outcome.Action.SKIPPED || o.action() == Outcome.Action.UNCHANGED) && indexer.routine(e);
                if (!quiet) out.accept(line(o.action().name(), e.key(), o.path() == null ? null : o.path().toString(), o.detail()));
                if (o.action() == Outcome.Action.UNREADABLE) deadLetters.send(e, o);
            } catch (IOException | RuntimeException ex) {
                String why = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                out.accept(line("FAILED", e.key(), null, why));
                if (failure == null) failure = why; // the others go on: re-handling them on a retry changes nothing
            }
        }
        return failure;
    }

    private static String line(String action, String key, String path, String detail) {
        ObjectNode o = Json.object();
        o.put("indexer", action);
        if (key != null) o.put("key", key);
        if (path != null) o.put("path", path);
        if (detail != null) o.put("detail", detail);
        return new String(Json.bytes(o), StandardCharsets.UTF_8);
    }
}
