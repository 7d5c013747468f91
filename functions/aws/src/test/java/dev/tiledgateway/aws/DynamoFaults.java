package dev.tiledgateway.aws;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Faults injected into a DynamoDB client at the SDK level, attempt by attempt, where an emulator never makes them
 * (moto runs one request at a time, so it never cancels a transaction for a conflict and never throttles):
 * <ul>
 *   <li>{@link #refuse}: the attempt fails before it is sent (a throttle, a cancelled transaction); DynamoDB never sees it;</li>
 *   <li>{@link #loseReply}: the attempt is carried out, then its reply is lost (an error in its place), as when a
 *       connection drops after DynamoDB committed; the SDK's retry sends it again;</li>
 *   <li>{@link #before}: another writer's request runs first (through a client without faults), so the attempt meets a
 *       real conflict on the emulator (a condition that fails, a transaction cancelled for it).</li>
 * </ul>
 * The exceptions are the SDK's own modelled ones, with the error code and status DynamoDB sends, so the SDK's retry
 * strategy and the adapters' branches see exactly what they would see from DynamoDB. Each rule fires a set number of
 * times; {@link #fired()} tells a test that its faults were met (so it cannot pass without them).
 */
public final class DynamoFaults implements ExecutionInterceptor {

    private enum When { BEFORE_SENDING, AFTER_REPLY, RIVAL_FIRST }

    private record Rule(String operation, Predicate<SdkRequest> which, AtomicInteger left, When when,
                        Supplier<? extends RuntimeException> error, Runnable rival) {}

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger fired = new AtomicInteger();

    /** The next {@code times} attempts of {@code operation} matching {@code which} fail with {@code error}, unsent. */
    public DynamoFaults refuse(String operation, Predicate<SdkRequest> which, int times, Supplier<? extends RuntimeException> error) {
        rules.add(new Rule(operation, which, new AtomicInteger(times), When.BEFORE_SENDING, error, null));
        return this;
    }

    /** The next {@code times} attempts are carried out by DynamoDB, and then fail with {@code error} (their reply lost). */
    public DynamoFaults loseReply(String operation, Predicate<SdkRequest> which, int times, Supplier<? extends RuntimeException> error) {
        rules.add(new Rule(operation, which, new AtomicInteger(times), When.AFTER_REPLY, error, null));
        return this;
    }

    /** Before each of the next {@code times} matching attempts is sent, {@code rival} runs (another writer's requests). */
    public DynamoFaults before(String operation, Predicate<SdkRequest> which, int times, Runnable rival) {
        rules.add(new Rule(operation, which, new AtomicInteger(times), When.RIVAL_FIRST, null, rival));
        return this;
    }

    /** How many faults were injected so far. */
    public int fired() { return fired.get(); }

    /** Forgets the rules not yet used up. */
    public void clear() { rules.clear(); }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Rule r = take(context.request(), attributes, When.BEFORE_SENDING, When.RIVAL_FIRST);
        if (r == null) return;
        if (r.when() == When.RIVAL_FIRST) {
            r.rival().run();
        } else {
            throw r.error().get();
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Rule r = take(context.request(), attributes, When.AFTER_REPLY);
        if (r != null) throw r.error().get();
    }

    private Rule take(SdkRequest request, ExecutionAttributes attributes, When... phases) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        for (Rule r : rules) {
            if (!List.of(phases).contains(r.when()) || !r.operation().equals(op) || !r.which().test(request)) continue;
            if (r.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                fired.incrementAndGet();
                return r;
            }
        }
        return null;
    }

    // ---- which requests

    public static Predicate<SdkRequest> any() { return r -> true; }

    /** Requests that write (put, update, delete, or check) the item with this key, alone or inside a transaction. */
    public static Predicate<SdkRequest> touching(Map<String, AttributeValue> key) {
        return r -> keysOf(r).stream().anyMatch(k -> k.equals(key));
    }

    /** Requests that delete the item with this key, alone or inside a transaction. */
    public static Predicate<SdkRequest> deleting(Map<String, AttributeValue> key) {
        return r -> switch (r) {
            case DeleteItemRequest d -> d.key().equals(key);
            case TransactWriteItemsRequest t -> t.transactItems().stream().anyMatch(i -> i.delete() != null && i.delete().key().equals(key));
            default -> false;
        };
    }

    /** Transactions that delete at least {@code n} items (a batch of a subtree's removal). */
    public static Predicate<SdkRequest> deletingAtLeast(int n) {
        return r -> r instanceof TransactWriteItemsRequest t && t.transactItems().stream().filter(i -> i.delete() != null).count() >= n;
    }

    private static List<Map<String, AttributeValue>> keysOf(SdkRequest r) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        switch (r) {
            case GetItemRequest g -> keys.add(g.key());
            case PutItemRequest p -> keys.add(primaryKey(p.item()));
            case UpdateItemRequest u -> keys.add(u.key());
            case DeleteItemRequest d -> keys.add(d.key());
            case TransactWriteItemsRequest t -> {
                for (TransactWriteItem i : t.transactItems()) {
                    if (i.put() != null) keys.add(primaryKey(i.put().item()));
                    if (i.update() != null) keys.add(i.update().key());
                    if (i.delete() != null) keys.add(i.delete().key());
                    if (i.conditionCheck() != null) keys.add(i.conditionCheck().key());
                }
            }
            default -> { }
        }
        return keys;
    }

    private static Map<String, AttributeValue> primaryKey(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    // ---- what DynamoDB answers

    private static AwsErrorDetails details(String code, int status, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDb")
                .sdkHttpResponse(SdkHttpFullResponse.builder().statusCode(status).build()).build();
    }

    /** A transaction cancelled with one reason code per item, in order ("None", "ConditionalCheckFailed", "TransactionConflict", "ThrottlingError" ...). */
    public static Supplier<TransactionCanceledException> cancelled(String... codes) {
        return () -> {
            List<CancellationReason> reasons = new ArrayList<>();
            for (String c : codes) reasons.add(CancellationReason.builder().code(c).message("None".equals(c) ? null : "injected: " + c).build());
            String message = "Transaction cancelled, please refer cancellation reasons for specific reasons " + List.of(codes);
            return TransactionCanceledException.builder().message(message).statusCode(400)
                    .awsErrorDetails(details("TransactionCanceledException", 400, message)).cancellationReasons(reasons).build();
        };
    }

    /** DynamoDB's 400 ThrottlingException, which the SDK's standard strategy retries with its throttling backoff. */
    public static Supplier<AwsServiceException> throttled() {
        return () -> ThrottlingException.builder().message("Rate of requests exceeds the allowed throughput (injected)").statusCode(400)
                .awsErrorDetails(details("ThrottlingException", 400, "Rate of requests exceeds the allowed throughput (injected)")).build();
    }

    public static Supplier<AwsServiceException> overProvisioned() {
        return () -> ProvisionedThroughputExceededException.builder().message("throughput exceeded (injected)").statusCode(400)
                .awsErrorDetails(details("ProvisionedThroughputExceededException", 400, "throughput exceeded (injected)")).build();
    }

    /** DynamoDB's 500, which the SDK retries. */
    public static Supplier<AwsServiceException> internalError() {
        return () -> InternalServerErrorException.builder().message("Internal server error (injected)").statusCode(500)
                .awsErrorDetails(details("InternalServerError", 500, "Internal server error (injected)")).build();
    }
}
