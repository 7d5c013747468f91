package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.catalog.SortOrder;
import dev.tiledgateway.core.catalog.SortKey;
import dev.tiledgateway.core.error.TiledException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A listing order, reduced to what the table can serve: creation order (the {@code by_seq} index),
 * key order (the table's own sort key), or an order on metadata values that is sorted in memory
 * ({@link SortOrder}).
 */
record ChildOrder(Kind kind, int direction, List<SortKey> keys, int tieDirection) {

    enum Kind { SEQ, KEY, METADATA }

    private static final Pattern METADATA_PATH = Pattern.compile("^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$");

    static ChildOrder of(List<SortKey> sort) {
        int tie = 1;
        List<SortKey> keys = new ArrayList<>();
        for (SortKey k : sort) {
            if (k.isDefaultOrder()) {
                tie = k.direction();
                continue;
            }
            if (!k.key().equals("id") && !METADATA_PATH.matcher(k.metadataPath()).matches())
                throw TiledException.badRequest("Cannot sort by '" + k.key() + "'");
            keys.add(k);
        }
        if (keys.isEmpty()) return new ChildOrder(Kind.SEQ, tie, List.of(), tie);
        // Keys are unique among siblings: whatever follows "id" cannot matter.
        if (keys.get(0).key().equals("id")) return new ChildOrder(Kind.KEY, keys.get(0).direction(), List.of(keys.get(0)), tie);
        return new ChildOrder(Kind.METADATA, 1, List.copyOf(keys), tie);
    }

    /** The in-memory order of a metadata sort ({@link SortOrder}: the embedded catalog's order). */
    Comparator<SortOrder.Entry> comparator() {
        List<SortKey> all = new ArrayList<>(keys);
        all.add(new SortKey("", tieDirection));
        return SortOrder.comparator(all);
    }
}
