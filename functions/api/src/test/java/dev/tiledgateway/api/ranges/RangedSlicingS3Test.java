package dev.tiledgateway.api.ranges;

import dev.tiledgateway.aws.AwsBackendFactory;
import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.aws.store.S3BlobStore;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.testkit.MotoServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import java.io.IOException;

/** Ranged slicing on S3 (moto): every range a ranged GET. */
@Tag("emulator")
class RangedSlicingS3Test extends RangedSlicingContract {

    private static S3BlobStore store;

    @BeforeAll
    static void startMoto() throws IOException {
        AwsClients clients = AwsClients.emulated(MotoServer.shared().endpoint(), MotoServer.shared().endpoint());
        AwsBackendFactory.createBucket(clients.s3(), "ranged-slicing", clients.region());
        store = new S3BlobStore(clients.s3(), null, "ranged-slicing", "data/");
    }

    @Override
    protected BlobStore store() { return store; }

    @Override
    protected int selections(int n) { return n / 10; }
}
