package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.core.catalog.CatalogJson;
import dev.tiledgateway.core.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.tiledgateway.aws.catalog.CatalogTable.PK;
import static dev.tiledgateway.aws.catalog.CatalogTable.SK;
import static dev.tiledgateway.aws.catalog.CatalogTable.s;

/**
 * The {@link ApiKeyStore} in the catalog's DynamoDB table (TABLE-DESIGN.md): each key is two items written and
 * removed together, one by the hash of its secret ({@code "#apikey/" + hash}, read strongly consistent on every use,
 * so a revocation holds at once) and one under its owner ({@code "#keys-of/" + owner}, sort key
 * {@code first_eight + "/" + hash}) for listings and revocation by first eight characters.
 */
public final class DynamoDbApiKeyStore implements ApiKeyStore {

    static final String BY_HASH = "#apikey/";
    static final String BY_OWNER = "#keys-of/";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbApiKeyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean create(ApiKey k) {
        int held = io("Query", () -> dynamo.query(b -> b.tableName(table).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK)).expressionAttributeValues(Map.of(":pk", s(BY_OWNER + k.owner())))
                .select(Select.COUNT).consistentRead(true))).count();
        if (held >= MAX_KEYS_PER_OWNER) return false;
        Map<String, AttributeValue> byHash = attributes(k);
        byHash.put(PK, s(BY_HASH + k.hash()));
        byHash.put(SK, s("#"));
        Map<String, AttributeValue> byOwner = attributes(k);
        byOwner.put(PK, s(BY_OWNER + k.owner()));
        byOwner.put(SK, s(k.firstEight() + "/" + k.hash()));
        for (int attempt = 0; ; attempt++) {
            try {
                transact(TransactWriteItem.builder().put(p -> p.tableName(table).item(byHash).conditionExpression("attribute_not_exists(#pk)")
                                .expressionAttributeNames(Map.of("#pk", PK))).build(),
                        TransactWriteItem.builder().put(p -> p.tableName(table).item(byOwner)).build());
                return true;
            } catch (TransactionCanceledException e) {
                if (DynamoDbCatalog.cancelledBy(e, "ConditionalCheckFailed")) {
                    // A key with this hash is there. It is this one when the SDK sent the transaction again after its
                    // reply was lost (DynamoDB's request token makes that a no-op; where it does not, the retry meets it).
                    Optional<ApiKey> there = byHash(k.hash());
                    if (there.isPresent() && sameKey(there.get(), k)) return true;
                    throw new IllegalStateException("an API key with this secret exists already", e);
                }
                retryOrFail(e, attempt);
            }
        }
    }

    private static boolean sameKey(ApiKey a, ApiKey b) {
        return a.hash().equals(b.hash()) && a.owner().equals(b.owner()) && a.firstEight().equals(b.firstEight())
                && a.created().toEpochMilli() == b.created().toEpochMilli();
    }

    /** One transaction, with a request token so the SDK's own retries of it are idempotent on DynamoDB. */
    private void transact(TransactWriteItem... items) {
        String token = UUID.randomUUID().toString();
        io("TransactWriteItems", () -> dynamo.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token)));
    }

    /** A transaction cancelled for a conflict or a throttle is tried again, after a pause; any other reason is a failure. */
    private void retryOrFail(TransactionCanceledException e, int attempt) {
        if (attempt + 1 >= DynamoDbCatalog.MAX_ATTEMPTS || !DynamoDbCatalog.retryable(e))
            throw new UncheckedIOException(new IOException("DynamoDB TransactWriteItems on " + table + " failed: " + e.getMessage(), e));
        DynamoDbCatalog.backoff(attempt);
    }

    @Override
    public Optional<ApiKey> byHash(String hash) {
        var r = io("GetItem", () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(BY_HASH + hash), SK, s("#")))));
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(decode(r.item())) : Optional.empty();
    }

    @Override
    public List<ApiKey> byOwner(String owner) {
        List<ApiKey> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : query(owner, null)) out.add(decode(item));
        out.sort(Comparator.comparing(ApiKey::created).thenComparing(ApiKey::hash));
        return out;
    }

    @Override
    public boolean revoke(String owner, String firstEight) {
        boolean any = false;
        for (Map<String, AttributeValue> item : query(owner, firstEight + "/")) {
            String hash = item.get("hash").s();
            for (int attempt = 0; ; attempt++) {
                try {
                    // Unconditional deletes: trying again, or after a lost reply, removes nothing more.
                    transact(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of(PK, s(BY_HASH + hash), SK, s("#")))).build(),
                            TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of(PK, item.get(PK), SK, item.get(SK)))).build());
                    break;
                } catch (TransactionCanceledException e) {
                    retryOrFail(e, attempt);
                }
            }
            any = true;
        }
        return any;
    }

    private List<Map<String, AttributeValue>> query(String owner, String skPrefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(BY_OWNER + owner)));
            String condition = "#pk = :pk";
            if (skPrefix != null) {
                names.put("#sk", SK);
                values.put(":sk", s(skPrefix));
                condition += " AND begins_with(#sk, :sk)";
            }
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).keyConditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).consistentRead(true);
            if (start != null) q.exclusiveStartKey(start);
            QueryResponse r = io("Query", () -> dynamo.query(q.build()));
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static Map<String, AttributeValue> attributes(ApiKey k) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("hash", s(k.hash()));
        m.put("fe", s(k.firstEight()));
        m.put("owner", s(k.owner()));
        m.put("scopes", s(json(k.scopes())));
        if (k.expires() != null) m.put("exp", CatalogTable.n(k.expires().toEpochMilli()));
        if (k.note() != null) m.put("note", s(k.note()));
        m.put("created", CatalogTable.n(k.created().toEpochMilli()));
        m.put("tags", s(json(k.accessTags())));
        return m;
    }

    private static ApiKey decode(Map<String, AttributeValue> m) {
        try {
            return new ApiKey(m.get("hash").s(), m.get("fe").s(), m.get("owner").s(), strings(m.get("scopes").s()),
                    m.containsKey("exp") ? Instant.ofEpochMilli(Long.parseLong(m.get("exp").n())) : null,
                    m.containsKey("note") ? m.get("note").s() : null, Instant.ofEpochMilli(Long.parseLong(m.get("created").n())),
                    strings(m.get("tags").s()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("an API key item that is not ours: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(String json) throws IOException { return CatalogJson.readStrings(Json.parse(json)); }

    private static String json(List<String> v) { return Json.text(CatalogJson.strings(v)); }

    private <T> T io(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (TransactionCanceledException outcome) {
            throw outcome;
        } catch (SdkException e) {
            throw new UncheckedIOException(new IOException("DynamoDB " + what + " on " + table + " failed: " + e.getMessage(), e));
        }
    }
}
