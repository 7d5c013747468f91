package dev.tiledgateway.api;

import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.core.auth.Access;
import dev.tiledgateway.embedded.EmbeddedBackendFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's key is read from its secret on a thread of its own while the backend opens; what that read throws
 * is what the handler's construction throws, as when it was read after the backend.
 */
class ServerKeyOpeningTest {

    @TempDir
    Path dir;

    @Test
    void aSecretThatCannotBeReadFailsTheConstructionWithItsOwnMessage() {
        Map<String, String> env = Map.of(EmbeddedBackendFactory.DATA_DIR, dir.toString(),
                ServerKeySecret.SECRET, "no-such-secret", ServerKeySecret.ENDPOINT, "http://127.0.0.1:1",
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiHandler.fromEnvironment(env));
        assertTrue(e.getMessage().startsWith("Cannot read the server's key from the secret no-such-secret"), e.getMessage());
    }

    @Test
    void aSecretAndAKeyBothNamedAreRefusedAsBefore() {
        Map<String, String> env = Map.of(EmbeddedBackendFactory.DATA_DIR, dir.toString(),
                ServerKeySecret.SECRET, "s", Access.API_KEY, "k".repeat(32));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiHandler.fromEnvironment(env));
        assertTrue(e.getMessage().contains("are set"), e.getMessage());
    }
}
