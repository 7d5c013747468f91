package dev.tiledgateway.aws;

import dev.tiledgateway.core.auth.Access;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The server's own API key as the deployed functions get it: the stack generates it into Secrets Manager and
 * names the secret in {@code TILED_GATEWAY_API_KEY_SECRET}; each function reads it once, when its execution
 * environment starts, so the key is never a template parameter nor the value of a variable. A new value (put with
 * {@code aws secretsmanager put-secret-value}) holds from the next cold start on.
 */
public final class ServerKeySecret {

    /** The secret's ARN or name. */
    public static final String SECRET = "TILED_GATEWAY_API_KEY_SECRET";
    /** Optional endpoint (an emulator); the SDK's AWS_ENDPOINT_URL_SECRETS_MANAGER works too. */
    public static final String ENDPOINT = "TILED_GATEWAY_SECRETSMANAGER_ENDPOINT";

    private ServerKeySecret() {}

    /**
     * The environment with {@code TILED_GATEWAY_API_KEY} set to the secret's value when {@link #SECRET} names one;
     * the environment itself when it does not. Naming a secret and a key as well is refused: which one holds would
     * be a guess.
     */
    public static Map<String, String> resolve(Map<String, String> env) {
        return resolve(env, secret -> read(env, secret));
    }

    /** As {@link #resolve(Map)}, with the secret's value from {@code reader}. */
    public static Map<String, String> resolve(Map<String, String> env, Function<String, String> reader) {
        String secret = env.get(SECRET);
        if (secret == null || secret.isBlank()) return env;
        for (String other : new String[] {Access.API_KEY, Access.API_KEY_SHA256})
            if (env.get(other) != null && !env.get(other).isBlank())
                throw new IllegalStateException("Both " + SECRET + " and " + other + " are set; the server's key comes from one of them");
        String key = reader.apply(secret.strip());
        if (key == null || key.isBlank()) throw new IllegalStateException("The secret " + secret.strip() + " (" + SECRET + ") is empty");
        Map<String, String> out = new HashMap<>(env);
        out.put(Access.API_KEY, key.strip());
        return out;
    }

    private static String read(Map<String, String> env, String secret) {
        URI endpoint = AwsClients.endpoint(env, ENDPOINT, "AWS_ENDPOINT_URL_SECRETS_MANAGER");
        AwsClients settings = AwsClients.fromEnv(env, endpoint, endpoint);
        var b = SecretsManagerClient.builder().region(settings.region()).credentialsProvider(settings.credentials())
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(settings.connectTimeout()).socketTimeout(settings.attemptTimeout()).build());
        if (endpoint != null) b.endpointOverride(endpoint);
        try (SecretsManagerClient client = b.build()) {
            return client.getSecretValue(r -> r.secretId(secret)).secretString();
        } catch (SdkException e) {
            throw new IllegalStateException("Cannot read the server's key from the secret " + secret + " (" + SECRET + "): " + e.getMessage(), e);
        }
    }
}
