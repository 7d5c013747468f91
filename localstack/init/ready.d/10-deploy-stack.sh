#!/bin/bash
# LocalStack's ready hook: deploys infra/template.yaml as the stack $TILED_GATEWAY_STACK (the jars it names must have
# been built: `mvn -B -ntp package -DskipTests`), uploads the demo (a Zarr array written by zarr-python, a Parquet
# file written by pyarrow) to the stack's bucket, waits until the indexer has registered both, and prints the
# endpoint and how to get the key. Runs inside the LocalStack container; the repository is mounted at /opt/tiled-gateway.
set -euo pipefail
repo=/opt/tiled-gateway
stack="${TILED_GATEWAY_STACK:-tiled-gateway}"
public="${TILED_GATEWAY_PUBLIC:-false}"
artifacts="${stack}-artifacts"
say() { echo "tiled-gateway: $*"; }

for jar in functions/api/target/api-lambda.jar functions/authorizer/target/authorizer-lambda.jar catalog-indexer/target/catalog-indexer-lambda.jar; do
  [ -f "$repo/$jar" ] || { say "FAILED: $jar is missing; build the jars first (mvn -B -ntp package -DskipTests), then docker compose up again" >&2; exit 1; }
done

# aws cloudformation package: the jars into a bucket, the CodeUris pointing at them; then the stack, SAM transform included.
awslocal s3 mb "s3://$artifacts" >/dev/null 2>&1 || true
awslocal cloudformation package --template-file "$repo/infra/template.yaml" --s3-bucket "$artifacts" --s3-prefix "$stack" \
  --output-template-file /tmp/tiled-gateway.packaged.yaml >/dev/null
say "deploying the stack $stack (Public=$public)..."
awslocal cloudformation deploy --template-file /tmp/tiled-gateway.packaged.yaml --stack-name "$stack" \
  --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --parameter-overrides "Public=$public" --no-fail-on-empty-changeset

resource() {
  awslocal cloudformation describe-stack-resource --stack-name "$stack" --logical-resource-id "$1" \
    --query StackResourceDetail.PhysicalResourceId --output text
}
bucket="$(resource DataBucket)"
api_id="$(resource HttpApi)"
secret="$(resource ApiKeySecret)"
key="$(awslocal secretsmanager get-secret-value --secret-id "$secret" --query SecretString --output text)"

# The demo, uploaded as a user would; the bucket's notifications reach the indexer through the upload queue.
fixtures="$repo/functions/formats/src/test/resources"
awslocal s3 cp --recursive --exclude expected.bin "$fixtures/zarr/v2/dtype_le_f8" "s3://$bucket/demo/image.zarr" >/dev/null
awslocal s3 cp "$fixtures/table/codec_snappy.parquet" "s3://$bucket/demo/table.parquet" >/dev/null
say "uploaded demo/image.zarr and demo/table.parquet to s3://$bucket; waiting for the indexer (the functions' first start takes a while)..."

# Polls through the HTTP API itself (LocalStack routes by the Host header), at most 6 minutes per node.
python3 - "$api_id" "$key" demo/image demo/table <<'PY'
import sys, time, urllib.request, urllib.error
api_id, key, nodes = sys.argv[1], sys.argv[2], sys.argv[3:]
for node in nodes:
    deadline, last = time.time() + 360, "no answer"
    while True:
        req = urllib.request.Request("http://localhost:4566/api/v1/metadata/" + node, headers={
            "Host": api_id + ".execute-api.localhost.localstack.cloud:4566", "Authorization": "Apikey " + key})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                if r.status == 200:
                    print("tiled-gateway: registered " + node, flush=True)
                    break
        except urllib.error.HTTPError as e:
            last = "%d %s" % (e.code, e.read()[:300])
        except OSError as e:
            last = str(e)
        if time.time() > deadline:
            sys.exit("tiled-gateway: FAILED: %s was not registered within 6 minutes; last answer: %s" % (node, last))
        time.sleep(2)
PY

say "READY"
say "  endpoint: http://$api_id.execute-api.localhost.localstack.cloud:4566"
say "  bucket:   s3://$bucket (upload Zarr, Parquet, CSV or TIFF here: awslocal s3 cp ... s3://$bucket/...)"
say "  key:      awslocal secretsmanager get-secret-value --secret-id $secret --query SecretString --output text"
say "  python:   from tiled.client import from_uri; c = from_uri('http://$api_id.execute-api.localhost.localstack.cloud:4566', api_key=KEY); c['demo/image'][:]"
