package dev.tiledgateway.local;

import java.io.IOException;

/**
 * What a command needs cannot be had: no such folder, bucket or table, an endpoint that cannot be reached, the port
 * or the state in use. The message says which, and what to do, in one line.
 */
final class UnavailableException extends IOException {
    UnavailableException(String message) { super(message); }
}
