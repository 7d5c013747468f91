package dev.tiledgateway.core.json;

import com.fasterxml.jackson.databind.node.TextNode;

import java.time.Instant;

/**
 * A point in time inside a response document: its ISO-8601 text in JSON (as upstream's JSON shows datetimes), and
 * the MessagePack Timestamp extension (type -1) in msgpack, which the Tiled client decodes to a {@code datetime}.
 */
public final class TimestampNode extends TextNode {

    private final Instant instant;

    public TimestampNode(Instant instant) {
        super(instant.toString());
        this.instant = instant;
    }

    public Instant instant() { return instant; }
}
