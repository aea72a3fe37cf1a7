// UI strings: one JSON file per language under src/i18n (zh.json holds every string; bo.json only the
// ones a translator or a published standard gave us). A string missing in Tibetan is shown in Chinese.
export type Lang = "zh" | "bo";
const storageKey = "ali.lang";

let current: Lang = readLang();
let zh: Record<string, string> = {};
let chosen: Record<string, string> = {};

function readLang(): Lang {
  try {
    return localStorage.getItem(storageKey) === "bo" ? "bo" : "zh";
  } catch {
    return "zh";
  }
}

export function lang(): Lang {
  return current;
}

async function load(l: Lang): Promise<Record<string, string>> {
  const response = await fetch(new URL(`/i18n/${l}.json`, location.origin).href, { cache: "no-cache" });
  if (!response.ok) throw new Error(`UI strings ${l}: ${response.status}`);
  return response.json();
}

/** Loads Chinese (the fallback) and the chosen language; call before the first render. */
export async function loadStrings(l: Lang = current): Promise<void> {
  if (Object.keys(zh).length === 0) zh = await load("zh");
  chosen = l === "zh" ? zh : await load(l);
  current = l;
  document.documentElement.lang = l;
}

export async function setLang(l: Lang): Promise<void> {
  await loadStrings(l);
  try {
    localStorage.setItem(storageKey, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

/** The string in the chosen language, else Chinese; {name} placeholders filled from args. */
export function t(key: string, args?: Record<string, string | number>): string {
  let text = chosen[key] ?? zh[key] ?? key;
  if (args) for (const [name, value] of Object.entries(args)) text = text.split(`{${name}}`).join(String(value));
  return text;
}

/** A date and time in the chosen language (the browser's CLDR data), in China Standard Time. */
export function when(iso?: string | null): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(current === "bo" ? "bo-CN" : "zh-CN", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Asia/Shanghai",
  }).format(new Date(iso));
}

/** A due date: limits end at 24:00 China Standard Time, sent as 00:00 of the next day, so show the day before. */
export function dueDay(iso?: string | null): string {
  if (!iso) return "—";
  const end = new Date(new Date(iso).getTime() - 1);
  return new Intl.DateTimeFormat(current === "bo" ? "bo-CN" : "zh-CN", { dateStyle: "medium", timeZone: "Asia/Shanghai" }).format(end);
}
