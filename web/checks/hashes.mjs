// Checks the portal's incremental hashes (src/shared/md5.ts, sha256.ts) against published test vectors and
// against Node's own digests of random data fed in random pieces. Run by tests/Ali.Serverless.Web.Tests
// (HashCheckTests) and by `npm run check:hashes`; exits non-zero on the first difference.
import { build } from "esbuild";
import { createHash, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

const source = (name) => fileURLToPath(new URL(`../src/shared/${name}.ts`, import.meta.url));
async function load(name) {
  const out = await build({ entryPoints: [source(name)], bundle: true, write: false, format: "esm", logLevel: "error" });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString("base64")}`);
}
const { Md5 } = await load("md5");
const { Sha256 } = await load("sha256");

// RFC 1321, appendix A.5.
const md5Vectors = {
  "": "d41d8cd98f00b204e9800998ecf8427e",
  a: "0cc175b9c0f1b6a831c399e269772661",
  abc: "900150983cd24fb0d6963f7d28e17f72",
  "message digest": "f96b697d7cb7938d525a2f31aaf161d0",
  abcdefghijklmnopqrstuvwxyz: "c3fcd3d76192e4007dfb496cca67e13b",
  "12345678901234567890123456789012345678901234567890123456789012345678901234567890": "57edf4a22be3c955ac49da2e2107b67a",
};
// FIPS 180-4 examples.
const sha256Vectors = {
  "": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  abc: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
};

let failures = 0;
function expect(what, got, wanted) {
  if (got !== wanted) {
    failures++;
    console.error(`${what}: ${got}, expected ${wanted}`);
  }
}
const utf8 = (text) => new TextEncoder().encode(text);
for (const [text, hex] of Object.entries(md5Vectors)) {
  expect(`md5("${text}")`, Buffer.from(new Md5().update(utf8(text)).digest()).toString("hex"), hex);
}
for (const [text, hex] of Object.entries(sha256Vectors)) {
  expect(`sha256("${text}")`, new Sha256().update(utf8(text)).hex(), hex);
}
// Sizes around the 64-byte block and its padding, and one larger than the portal's 256 KiB upload block.
for (const size of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 262144 + 7]) {
  const data = randomBytes(size);
  const md5 = new Md5();
  const sha = new Sha256();
  for (let i = 0; i < size; ) {
    const n = Math.min(size - i, 1 + Math.floor(Math.random() * 200));
    md5.update(data.subarray(i, i + n));
    sha.update(data.subarray(i, i + n));
    i += n;
  }
  expect(`md5 of ${size} random bytes`, md5.base64(), createHash("md5").update(data).digest("base64"));
  expect(`sha256 of ${size} random bytes`, sha.hex(), createHash("sha256").update(data).digest("hex"));
}
if (failures > 0) {
  process.exit(1);
}
console.log("hashes ok: md5 and sha256 match their test vectors and node:crypto");
