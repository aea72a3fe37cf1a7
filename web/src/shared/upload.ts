// Uploads one material straight to Blob Storage: hash the file a slice at a time (SHA-256 and MD5), declare
// it, send it in blocks (Put Block, each with its own Content-MD5, which Blob Storage checks) and commit them
// (Put Block List, with the whole file's MD5 as x-ms-blob-content-md5), then ask the API to verify it. Which blocks
// are already stored is remembered in localStorage, so a dropped link, an expired URL or a reload
// carries on from the first missing block instead of starting over.
import { api, backoff, reportConnection, sleep, ApiError } from "./api";
import { Md5 } from "./md5";
import { Sha256 } from "./sha256";

export const blockBytes = 256 * 1024;

export type Phase = "hashing" | "declaring" | "uploading" | "verifying" | "done";
export interface Progress {
  phase: Phase;
  done: number;
  total: number;
}

interface Target {
  url: string;
  headers: Record<string, string>;
}

interface Saved {
  materialId: string;
  sha256: string;
  /** Base64 MD5 of the whole file; absent in what an earlier version of the portal saved. */
  md5?: string;
  size: number;
  fileName: string;
  lastModified: number;
  blocks: number[];
}

const keyOf = (applicationId: string, materialCode: string) => `ali.upload.${applicationId}.${materialCode}`;

function load(key: string): Saved | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null");
  } catch {
    return null;
  }
}

function save(key: string, saved: Saved) {
  try {
    localStorage.setItem(key, JSON.stringify(saved));
  } catch {
    /* no storage: resuming works within this page only */
  }
}

/** Block ids must all have the same length: "block-000001" in base64. */
const blockId = (index: number) => btoa(`block-${String(index).padStart(6, "0")}`);

const withQuery = (url: string, query: string) => url + (url.includes("?") ? "&" : "?") + query;

/** SHA-256 (hex) and MD5 (base64) of a file, read once a slice at a time, reporting the bytes read so far. */
async function hashFile(file: Blob, onProgress: (done: number) => void, sliceBytes = 1 << 20): Promise<{ sha256: string; md5: string }> {
  const sha = new Sha256();
  const md5 = new Md5();
  for (let offset = 0; offset < file.size; offset += sliceBytes) {
    const part = new Uint8Array(await file.slice(offset, offset + sliceBytes).arrayBuffer());
    sha.update(part);
    md5.update(part);
    onProgress(Math.min(file.size, offset + part.length));
  }
  return { sha256: sha.hex(), md5: md5.base64() };
}

export function contentTypeOf(file: File): string {
  if (file.type) return file.type;
  const extension = file.name.split(".").pop()?.toLowerCase();
  return ({ pdf: "application/pdf", ofd: "application/ofd", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" } as Record<string, string>)[extension ?? ""] ?? "application/octet-stream";
}

/**
 * Sends one request to Blob Storage. While the network is down it waits and tries again; when the URL
 * has expired (403) it asks the API for a fresh one for the same blob.
 */
async function toBlob(target: Target, renew: () => Promise<Target>, query: string, body: BodyInit, headers: Record<string, string>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(withQuery(target.url, query), { method: "PUT", headers, body });
    } catch {
      reportConnection(true, attempt);
      await sleep(backoff(attempt));
      continue;
    }
    if (attempt > 1) reportConnection(false);
    if (response.ok) return;
    if (response.status === 403 && attempt < 4) {
      Object.assign(target, await renew());
      continue;
    }
    if (response.status >= 500 && attempt < 6) {
      await sleep(backoff(attempt));
      continue;
    }
    throw new ApiError({ status: response.status, code: "upload-failed", detail: `Blob Storage answered ${response.status}.` });
  }
}

export async function uploadMaterial(applicationId: string, materialCode: string, file: File, onProgress: (p: Progress) => void): Promise<any> {
  const key = keyOf(applicationId, materialCode);
  const contentType = contentTypeOf(file);
  let saved = load(key);
  const same = saved && saved.fileName === file.name && saved.size === file.size && saved.lastModified === file.lastModified;
  let target: Target;
  const base = `/applications/${encodeURIComponent(applicationId)}/materials`;
  if (same && saved) {
    // The same file again: carry on with the material already declared.
    const fresh = await api("POST", `${base}/${encodeURIComponent(saved.materialId)}/upload-target`);
    target = fresh.upload ?? fresh;
  } else {
    onProgress({ phase: "hashing", done: 0, total: file.size });
    const { sha256, md5 } = await hashFile(file, (done) => onProgress({ phase: "hashing", done, total: file.size }));
    onProgress({ phase: "declaring", done: 0, total: file.size });
    const declared = await api("POST", base, { materialCode, fileName: file.name, contentType, sizeBytes: file.size, sha256, contentMd5: md5 });
    saved = { materialId: declared.material.id, sha256, md5, size: file.size, fileName: file.name, lastModified: file.lastModified, blocks: [] };
    save(key, saved);
    target = declared.upload;
  }
  const current = saved!;
  const renew = async (): Promise<Target> => {
    const fresh = await api("POST", `${base}/${encodeURIComponent(current.materialId)}/upload-target`);
    return fresh.upload ?? fresh;
  };
  const count = Math.max(1, Math.ceil(file.size / blockBytes));
  const done = new Set(current.blocks);
  const report = () => onProgress({ phase: "uploading", done: Math.min(file.size, done.size * blockBytes), total: file.size });
  report();
  for (let index = 0; index < count; index++) {
    if (done.has(index)) continue;
    // The block's own MD5: Blob Storage refuses the block if the bytes arrive different (decision 21).
    const body = new Uint8Array(await file.slice(index * blockBytes, (index + 1) * blockBytes).arrayBuffer());
    const headers = { "content-md5": new Md5().update(body).base64() };
    await toBlob(target, renew, `comp=block&blockid=${encodeURIComponent(blockId(index))}`, body, headers);
    done.add(index);
    current.blocks = [...done];
    save(key, current);
    report();
  }
  const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${Array.from({ length: count }, (_, i) => `<Latest>${blockId(i)}</Latest>`).join("")}</BlockList>`;
  const commitHeaders: Record<string, string> = { "content-type": "application/xml", "x-ms-blob-content-type": contentType };
  // Kept as the blob's MD5, which completion compares with the declared contentMd5 and the copy keeps.
  if (current.md5) commitHeaders["x-ms-blob-content-md5"] = current.md5;
  await toBlob(target, renew, "comp=blocklist", list, commitHeaders);
  onProgress({ phase: "verifying", done: file.size, total: file.size });
  const verified = await api("POST", `${base}/${encodeURIComponent(current.materialId)}/complete`);
  localStorage.removeItem(key);
  onProgress({ phase: "done", done: file.size, total: file.size });
  return verified;
}
