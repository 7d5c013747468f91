package dev.tiledgateway.aws.catalog;

import dev.tiledgateway.core.auth.ApiKeyStore;
import dev.tiledgateway.testkit.ApiKeyStoreContract;
import org.junit.jupiter.api.Tag;

/** The API-key contract against moto's DynamoDB, on a fresh catalog table. */
@Tag("emulator")
class DynamoDbApiKeyStoreMotoTest extends ApiKeyStoreContract {

    private static DynamoDbApiKeyStore store;

    @Override
    protected synchronized ApiKeyStore store() {
        if (store == null) store = new DynamoDbApiKeyStore(MotoCatalogs.dynamo(), MotoCatalogs.newTable("apikeys"));
        return store;
    }
}
