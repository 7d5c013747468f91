// Reads Zarr nodes with zarrita (an implementation we did not write) and reports what it found,
// so that a Java test can compare it with what our writers meant to store.
//
//   node zarrita-read.mjs <store folder> <output folder> <v2|v3>:<node path> ...
//
// For each node it prints one JSON line: {path, kind, attrs} and, for an array, its data_type,
// shape and chunks. An array's whole content, read with zarr.get, goes to <output folder>/<i>.bin
// as C-order little-endian bytes (bool: one byte per value), or, for string types, into the JSON
// line as "strings". Any error ends the process with a non-zero status and the error on stderr.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";

if (os.endianness() !== "LE") throw new Error("the .bin files are meant to be little-endian");
const [storeDir, outDir, ...nodes] = process.argv.slice(2);
if (!storeDir || !outDir || nodes.length === 0) {
    console.error("usage: node zarrita-read.mjs <store folder> <output folder> <v2|v3>:<node path> ...");
    process.exit(2);
}
const root = zarr.root(new FileSystemStore(storeDir));

/** Element offsets of a C-order walk over an array of this shape stored with these strides. */
function cOrderOffsets(shape, stride) {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Array(n);
    const idx = new Array(shape.length).fill(0);
    for (let i = 0; i < n; i++) {
        out[i] = idx.reduce((acc, x, d) => acc + x * stride[d], 0);
        for (let d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) break;
            idx[d] = 0;
        }
    }
    return out;
}

function isCOrder(shape, stride) {
    let step = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
        if (shape[d] > 1 && stride[d] !== step) return false;
        step *= shape[d];
    }
    return true;
}

for (const [i, spec] of nodes.entries()) {
    const colon = spec.indexOf(":");
    const format = spec.slice(0, colon);
    const nodePath = spec.slice(colon + 1);
    const open = format === "v2" ? zarr.open.v2 : format === "v3" ? zarr.open.v3 : null;
    if (!open) throw new Error(`unknown format in ${spec}`);
    const node = await open(root.resolve(nodePath));
    const report = { path: nodePath, kind: node instanceof zarr.Array ? "array" : "group", attrs: node.attrs };
    if (node instanceof zarr.Array) {
        report.data_type = node.dtype;
        report.shape = node.shape;
        report.chunks = node.chunks;
        const { data, shape, stride } = await zarr.get(node);
        const order = isCOrder(shape, stride) ? null : cOrderOffsets(shape, stride);
        if (data instanceof zarr.ByteStringArray || data instanceof zarr.UnicodeStringArray) {
            const at = (k) => data.get(order ? order[k] : k);
            report.strings = Array.from({ length: data.length }, (_, k) => at(k));
        } else {
            const width = data.BYTES_PER_ELEMENT;
            const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
            let out = bytes;
            if (order) {
                out = new Uint8Array(bytes.length);
                order.forEach((src, k) => out.set(bytes.subarray(src * width, (src + 1) * width), k * width));
            }
            fs.writeFileSync(path.join(outDir, `${i}.bin`), out);
        }
    }
    console.log(JSON.stringify(report, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}
