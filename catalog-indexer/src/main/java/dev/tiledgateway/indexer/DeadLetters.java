package dev.tiledgateway.indexer;

import dev.tiledgateway.indexer.apply.Outcome;
import dev.tiledgateway.indexer.event.ObjectEvent;

import java.io.IOException;

/**
 * Where events about unreadable objects go, besides the log. An unreadable object is not retried (its bytes
 * will not change by waiting; a new upload brings a new event), so it is handed over here at once with
 * its reason instead of being redelivered until the queue gives up.
 */
@FunctionalInterface
public interface DeadLetters {

    /** Records the event; an IOException means it could not (the message is then retried). */
    void send(ObjectEvent event, Outcome outcome) throws IOException;

    /** Only the log line. */
    static DeadLetters none() { return (e, o) -> {}; }
}
