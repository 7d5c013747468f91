package dev.tiledgateway.bench;

import dev.tiledgateway.api.ApiHandler;

/**
 * What a Lambda cold start does, without the Lambda runtime: construct the handler (storage from
 * {@code TILED_GATEWAY_DATA_DIR}) and answer one recorded {@code GET /api/v1/metadata/} event.
 * Prints one line, {@code status=200 init_ms=.. prime_ms=.. handle_ms=.. bytes=..}, which the driver times (the
 * handler's own request line, printed before it, is skipped).
 *
 * <p>With {@code --primed}, the handler primes itself between construction and the event, as it does before
 * SnapStart's snapshot ({@link ApiHandler#prime()}): {@code handle_ms} is then the first event's time after a
 * restore, the restore itself aside (this JVM has no CRaC).
 */
public final class ColdStartHandler {

    private ColdStartHandler() {}

    public static void main(String[] args) {
        boolean primed = args.length > 0 && args[0].equals("--primed");
        long t0 = System.nanoTime();
        byte[] event = Events.metadataRoot();
        ApiHandler handler = new ApiHandler();
        long t1 = System.nanoTime();
        if (primed) handler.prime();
        long t2 = System.nanoTime();
        byte[] response = handler.handle(event);
        long t3 = System.nanoTime();
        int status = Events.status(response);
        System.out.println(String.format(java.util.Locale.ROOT, "status=%d init_ms=%.3f prime_ms=%.3f handle_ms=%.3f bytes=%d",
                status, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, response.length));
        System.out.flush();
        System.exit(status == 200 ? 0 : 1);
    }
}
