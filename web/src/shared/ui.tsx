// Pieces both front ends share: the page frame with the language switcher and the connection banner,
// loading and error states, and the case's status and timeline.
import { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, onConnection, api } from "./api";
import { Lang, lang, setLang, t, when, dueDay } from "./i18n";
import { session, signOut } from "./auth";

/** Re-renders the whole app when the language changes. */
let rerender: () => void = () => {};
export function setRerender(f: () => void) {
  rerender = f;
}
/** Draws the app again (after signing in or out, or a language change). */
export const refresh = () => rerender();

export function useHash(): string {
  const [hash, setHash] = useState(location.hash || "#/");
  useEffect(() => {
    const listener = () => setHash(location.hash || "#/");
    addEventListener("hashchange", listener);
    return () => removeEventListener("hashchange", listener);
  }, []);
  return hash;
}

export function LanguageSwitch() {
  const choose = async (l: Lang) => {
    await setLang(l);
    // The API's own texts (notifications) follow the preference of a signed-in caller.
    if (session()) api("PUT", "/me/preferences", { language: l }).catch(() => {});
    rerender();
  };
  return (
    <div class="langs" role="group" aria-label={t("lang.choose")}>
      {(["zh", "bo"] as Lang[]).map((l) => (
        <button type="button" class={"lang" + (lang() === l ? " on" : "")} aria-pressed={lang() === l} data-lang={l} onClick={() => choose(l)}>
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}

export function ConnectionBanner() {
  const [offline, setOffline] = useState<number | null>(null);
  useEffect(() => onConnection((down, attempt) => setOffline(down ? attempt : null)), []);
  useEffect(() => {
    const on = () => setOffline(null);
    addEventListener("online", on);
    return () => removeEventListener("online", on);
  }, []);
  if (offline === null) return null;
  return (
    <div class="banner offline" role="alert" data-testid="offline">
      {t("net.lost")} {t("net.retrying", { n: offline })}
    </div>
  );
}

export function Shell(props: { title: string; home: string; nav?: ComponentChildren; children: ComponentChildren }) {
  const s = session();
  return (
    <>
      <header class="top">
        <a class="brand" href={props.home}>{props.title}</a>
        <nav aria-label={t("nav.label")}>{props.nav}</nav>
        <div class="who">
          {s ? (
            <>
              <span data-testid="who">{t(`role.${s.role}`)} {s.department ?? ""}</span>{" "}
              <button type="button" class="link" onClick={() => { signOut(); location.hash = "#/"; rerender(); }}>{t("auth.signOut")}</button>
            </>
          ) : null}
          <LanguageSwitch />
        </div>
      </header>
      <ConnectionBanner />
      <main id="main">{props.children}</main>
    </>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const fields = problem?.errors ? Object.entries(problem.errors) : [];
  return (
    <div class="banner error" role="alert">
      <strong>{problem?.code ? t(`problem.${problem.code}`) !== `problem.${problem.code}` ? t(`problem.${problem.code}`) : problem.title : t("error.generic")}</strong>
      {problem?.detail ? <p>{problem.detail}</p> : error instanceof Error && !problem ? <p>{t("net.failed")}</p> : null}
      {fields.length > 0 ? (
        <ul>{fields.map(([name, messages]) => <li>{name}: {messages.join(" ")}</li>)}</ul>
      ) : null}
      {Array.isArray(problem?.missingMaterials) ? (
        <ul>{(problem!.missingMaterials as any[]).map((m) => <li>{m.code ?? m}</li>)}</ul>
      ) : null}
    </div>
  );
}

/** Loads data for a view; `reload` fetches again after an action. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; reload: () => void; loading: boolean } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick, lang()]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function Loading() {
  return <p class="muted" aria-live="polite">{t("loading")}</p>;
}

export function Status({ status }: { status: string }) {
  return <span class={`status s-${status}`} data-testid="status" data-status={status}>{t(`status.${status}`)}</span>;
}

export function Dates({ c }: { c: any }) {
  return (
    <dl class="facts">
      {c.caseNumber ? <><dt>{t("case.number")}</dt><dd data-testid="case-number">{c.caseNumber}</dd></> : null}
      <dt>{t("case.submittedAt")}</dt><dd>{when(c.submittedAt)}</dd>
      <dt>{t("case.acceptedAt")}</dt><dd>{when(c.acceptedAt)}</dd>
      <dt>{t("case.promisedDueAt")}</dt><dd>{dueDay(c.promisedDueAt)}</dd>
      <dt>{t("case.legalDueAt")}</dt><dd>{dueDay(c.legalDueAt)}</dd>
    </dl>
  );
}

export function Timeline({ steps }: { steps: any[] }) {
  if (!steps?.length) return <p class="muted">{t("timeline.empty")}</p>;
  return (
    <ol class="timeline" data-testid="timeline">
      {steps.map((s) => (
        <li data-step={s.step}>
          <strong>{t(`step.${s.step}`)}</strong> · {t(`action.${s.action}`)}
          <div class="muted">{when(s.endedAt ?? s.startedAt)} · {s.departmentCode ?? ""} {s.handler === "applicant" || s.handler === "system" ? t(`handler.${s.handler}`) : s.handler}</div>
          {s.opinion ? <div>{t("timeline.opinion")}: {s.opinion}</div> : null}
        </li>
      ))}
    </ol>
  );
}

export const sizeText = (bytes: number) =>
  bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
