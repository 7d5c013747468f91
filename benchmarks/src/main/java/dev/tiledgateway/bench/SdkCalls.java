package dev.tiledgateway.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts SDK calls by operation, the time spent in each (retries included) and the DynamoDB items they returned
 * (Query and BatchGetItem), for one caller at a time.
 */
final class SdkCalls implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");

    private final Map<String, long[]> calls = new TreeMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        long t = System.nanoTime() - attributes.getAttribute(STARTED);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        long items = switch (context.response()) {
            case QueryResponse q -> q.count() == null ? 0 : q.count();
            case BatchGetItemResponse b -> b.responses().values().stream().mapToLong(java.util.List::size).sum();
            default -> 0;
        };
        synchronized (calls) {
            long[] c = calls.computeIfAbsent(op, k -> new long[3]);
            c[0]++;
            c[1] += t;
            c[2] += items;
        }
    }

    long count(String op) {
        synchronized (calls) {
            long[] c = calls.get(op);
            return c == null ? 0 : c[0];
        }
    }

    long total() {
        synchronized (calls) {
            return calls.values().stream().mapToLong(c -> c[0]).sum();
        }
    }

    /** Items returned by the calls of {@code op} (Query: index entries or table items; BatchGetItem: items). */
    long items(String op) {
        synchronized (calls) {
            long[] c = calls.get(op);
            return c == null ? 0 : c[2];
        }
    }

    /** Time spent in all calls. */
    double millis() {
        synchronized (calls) {
            return Stats.millis(calls.values().stream().mapToLong(c -> c[1]).sum());
        }
    }

    double millis(String op) {
        synchronized (calls) {
            long[] c = calls.get(op);
            return c == null ? 0 : Stats.millis(c[1]);
        }
    }

    void reset() {
        synchronized (calls) {
            calls.clear();
        }
    }

    /** e.g. {@code BatchGetItem 12.1 ms, GetItem 0.8 ms, Query 3.4 ms}: the time in each operation's calls. */
    String timings() {
        StringBuilder s = new StringBuilder();
        synchronized (calls) {
            calls.forEach((op, c) -> s.append(s.isEmpty() ? "" : ", ").append(op).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.1f ms", Stats.millis(c[1]))));
        }
        return s.toString();
    }

    /** e.g. {@code BatchGetItem 3, GetItem 1, Query 1}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        synchronized (calls) {
            calls.forEach((op, c) -> s.append(s.isEmpty() ? "" : ", ").append(op).append(' ').append(c[0]));
        }
        return s.toString();
    }
}
