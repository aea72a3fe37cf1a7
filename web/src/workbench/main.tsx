// The staff workbench: a department's worklist soonest due first, a task with its case, materials and
// the actions its kind allows, special procedures, the case's timeline, and supervisors' warnings.
import { useState } from "preact/hooks";
import { api, langQuery } from "../shared/api";
import { session } from "../shared/auth";
import { boot } from "../shared/boot";
import { dueDay, t, when } from "../shared/i18n";
import { SignIn } from "../shared/signin";
import { Dates, ErrorBox, Loading, Shell, Status, Timeline, sizeText, useHash, useLoad } from "../shared/ui";

const dayMs = 24 * 3600 * 1000;
/** Marked near due from two days before the due time: the supervision job counts two working days. */
export function urgency(dueAt: string, now = Date.now()): "overdue" | "near-due" | "" {
  const left = new Date(dueAt).getTime() - now;
  return left < 0 ? "overdue" : left <= 2 * dayMs ? "near-due" : "";
}

const pausingKinds = ["hearing", "inspection", "testing", "quarantine", "appraisal", "expert-review", "site-check"];

function App() {
  const hash = useHash();
  const [path] = hash.slice(1).split("?");
  const parts = path.split("/").filter(Boolean);
  const s = session();
  const supervisor = s?.role === "supervisor";
  const nav = s ? (
    supervisor ? (
      <>
        <a href="#/warnings">{t("nav.warnings")}</a>
        <a href="#/case">{t("nav.findCase")}</a>
      </>
    ) : (
      <a href="#/">{t("nav.worklist")}</a>
    )
  ) : null;
  let page;
  if (!s) page = <WorkbenchSignIn next={hash === "#/" ? "#/" : hash} />;
  else if (parts[0] === "tasks" && parts[1]) page = <TaskView id={decodeURIComponent(parts[1])} />;
  else if (parts[0] === "cases" && parts[1]) page = <CaseView caseNumber={decodeURIComponent(parts[1])} />;
  else if (parts[0] === "case") page = <FindCase />;
  else if (supervisor || parts[0] === "warnings") page = <Warnings />;
  else page = <Worklist />;
  return <Shell title={t("workbench.title")} home="#/" nav={nav}>{page}</Shell>;
}

function WorkbenchSignIn({ next }: { next: string }) {
  const departments = useLoad(async () => {
    const all = await api("GET", `/catalog/items?${langQuery()}`);
    const seen = new Map<string, string>();
    for (const item of all.items) seen.set(item.departmentCode, item.departmentName);
    return [...seen].map(([code, name]) => ({ code, name }));
  }, []);
  if (!departments.data) return departments.error ? <ErrorBox error={departments.error} /> : <Loading />;
  return <SignIn roles={["reviewer", "supervisor"]} departments={departments.data} next={next} />;
}

function Worklist() {
  const [kind, setKind] = useState("");
  const list = useLoad(() => api("GET", `/worklist?pageSize=100${kind ? `&kind=${kind}` : ""}`), [kind]);
  const items = [...(list.data?.items ?? [])].sort((x: any, y: any) => x.dueAt.localeCompare(y.dueAt));
  return (
    <section>
      <h1>{t("worklist.title")}</h1>
      <label>{t("worklist.kind")}
        <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
          <option value="">{t("catalog.all")}</option>
          {["acceptance", "review", "decision"].map((k) => <option value={k}>{t(`task.${k}`)}</option>)}
        </select>
      </label>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <p class="muted">{t("worklist.empty")}</p> : null}
      <ul class="cards" data-testid="worklist">
        {items.map((task: any) => {
          const u = urgency(task.dueAt);
          return (
            <li class={`card ${u}`} data-case={task.caseNumber} data-kind={task.kind} data-urgency={u}>
              <a href={`#/tasks/${encodeURIComponent(task.id)}`}>{t(`task.${task.kind}`)} · {task.caseNumber}</a>
              {u ? <span class={`tag ${u}`}>{t(`urgency.${u}`)}</span> : null}
              <div class="muted">{task.itemCode} · {t("task.due")}: {dueDay(task.dueAt)}</div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Materials({ c, canRead }: { c: any; canRead: boolean }) {
  const [error, setError] = useState<unknown>(null);
  const open = async (m: any) => {
    setError(null);
    try {
      const link = await api("POST", `/cases/${encodeURIComponent(c.caseNumber)}/materials/${encodeURIComponent(m.id)}/read-link`);
      // The sealed copy comes as an attachment (Content-Disposition): the browser saves it, no tab is left open.
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.rel = "noopener";
      anchor.download = link.fileName;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <ul class="cards">
        {c.materials.map((m: any) => (
          <li class="card" data-material={m.materialCode}>
            <strong>{m.materialCode}</strong> {m.fileName} · {sizeText(m.sizeBytes)} · {t(`material.${m.status}`)}
            {canRead && m.status === "verified" && !m.licence ? <> <button type="button" class="link" onClick={() => open(m)}>{t("materials.open")}</button></> : null}
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
    </>
  );
}

function TaskView({ id }: { id: string }) {
  const view = useLoad(async () => {
    const tv = await api("GET", `/tasks/${encodeURIComponent(id)}`);
    const item = await api("GET", `/catalog/items/${encodeURIComponent(tv.task.itemCode)}?${langQuery()}`);
    return { ...tv, item };
  }, [id]);
  if (view.error) return <ErrorBox error={view.error} />;
  if (!view.data) return <Loading />;
  const { task, case: c, item } = view.data;
  const mine = session()?.department === item.departmentCode;
  return (
    <section>
      <h1>{t(`task.${task.kind}`)} · {c.caseNumber}</h1>
      <p>{item.name} · <Status status={c.status} /> · {t("task.due")}: <span class={urgency(task.dueAt)}>{dueDay(task.dueAt)}</span></p>
      <Dates c={c} />
      <p class="muted">{t("apply.applicant")}: {c.applicant?.name} {c.applicant?.documentNumber}</p>
      {c.fields?.remark ? <p>{t("apply.remark")}: {c.fields.remark}</p> : null}
      <h2>{t("materials.title")}</h2>
      <Materials c={c} canRead={true} />
      {task.state === "open" ? <TaskActions task={task} item={item} done={view.reload} /> : <p class="banner info">{t("task.done")}: {t(`outcome.${task.outcome}`)}</p>}
      {mine ? <SpecialProcedures c={c} done={view.reload} /> : null}
      <h2>{t("timeline.title")}</h2>
      <Timeline steps={c.timeline} />
    </section>
  );
}

function TaskActions({ task, item, done }: { task: any; item: any; done: () => void }) {
  const outcomes =
    task.kind === "acceptance"
      ? ["accept", "supplement", "not-accept", ...(item.caseType === "1" ? ["accept-and-approve"] : [])]
      : ["approve", "reject"];
  const [outcome, setOutcome] = useState(outcomes[0]);
  const [opinion, setOpinion] = useState("");
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/tasks/${encodeURIComponent(task.id)}/complete`, {
        outcome,
        opinion: opinion.trim() || undefined,
        missingMaterials: outcome === "supplement" ? Object.entries(missing).map(([code, reason]) => ({ code, reason: reason.trim() || t("supplement.defaultReason") })) : undefined,
      });
      done();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit} data-testid="task-actions">
      <h2>{t("task.decide")}</h2>
      <fieldset>
        <legend>{t("task.outcome")}</legend>
        {outcomes.map((o) => (
          <label class="inline"><input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} /> {t(`outcome.${o}`)}</label>
        ))}
      </fieldset>
      {outcome === "supplement" ? (
        <fieldset>
          <legend>{t("supplement.which")}</legend>
          {item.materials.map((m: any) => (
            <div>
              <label class="inline">
                <input type="checkbox" name="missing" value={m.code} checked={m.code in missing}
                  onChange={(e) => { const next = { ...missing }; if ((e.target as HTMLInputElement).checked) next[m.code] = ""; else delete next[m.code]; setMissing(next); }} />
                {" "}{m.code} {m.name}
              </label>
              {m.code in missing ? (
                <input aria-label={t("supplement.reason", { code: m.code })} name={`reason-${m.code}`} value={missing[m.code]} maxLength={200}
                  onInput={(e) => setMissing({ ...missing, [m.code]: (e.target as HTMLInputElement).value })} />
              ) : null}
            </div>
          ))}
        </fieldset>
      ) : null}
      <label>{t("task.opinion")}<textarea name="opinion" rows={2} maxLength={500} value={opinion} onInput={(e) => setOpinion((e.target as HTMLTextAreaElement).value)} /></label>
      <button type="submit" class="primary" disabled={busy} data-testid="complete">{t("task.complete")}</button>
      <ErrorBox error={error} />
    </form>
  );
}

function SpecialProcedures({ c, done }: { c: any; done: () => void }) {
  const [kind, setKind] = useState("extension");
  const [text, setText] = useState("");
  const [error, setError] = useState<unknown>(null);
  const running = (c.specialProcedures ?? []).filter((p: any) => !p.endedAt && p.kind !== "extension");
  const post = async (path: string, body: unknown) => {
    setError(null);
    try {
      await api("POST", `/cases/${encodeURIComponent(c.caseNumber)}/special-procedures${path}`, body);
      setText("");
      done();
    } catch (err) {
      setError(err);
    }
  };
  if (c.status !== "under-review" && c.status !== "suspended") return null;
  return (
    <section data-testid="procedures">
      <h2>{t("procedure.title")}</h2>
      {running.map((p: any) => (
        <form class="stack" onSubmit={(e) => { e.preventDefault(); post(`/${encodeURIComponent(p.id)}/end`, { result: text.trim() }); }}>
          <p>{t(`procedure.${p.kind}`)} · {when(p.startedAt)} · {p.reason}</p>
          <label>{t("procedure.result")}<input name="result" value={text} required maxLength={500} onInput={(e) => setText((e.target as HTMLInputElement).value)} /></label>
          <button type="submit" data-action="end">{t("procedure.end")}</button>
        </form>
      ))}
      {c.status === "under-review" ? (
        <form class="stack" onSubmit={(e) => { e.preventDefault(); post("", { kind, reason: text.trim() }); }}>
          <label>{t("procedure.kind")}
            <select name="kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
              {["extension", ...pausingKinds].map((k) => <option value={k}>{t(`procedure.${k}`)}</option>)}
            </select>
          </label>
          <label>{t("procedure.reason")}<input name="reason" value={text} required maxLength={500} onInput={(e) => setText((e.target as HTMLInputElement).value)} /></label>
          <button type="submit" data-action="start">{t("procedure.start")}</button>
        </form>
      ) : null}
      <ErrorBox error={error} />
    </section>
  );
}

function CaseView({ caseNumber }: { caseNumber: string }) {
  const view = useLoad(() => api("GET", `/cases/${encodeURIComponent(caseNumber)}`), [caseNumber]);
  if (view.error) return <ErrorBox error={view.error} />;
  if (!view.data) return <Loading />;
  const c = view.data;
  return (
    <section>
      <h1>{t("case.title")} {c.caseNumber}</h1>
      <p>{c.itemCode} · <Status status={c.status} /></p>
      <Dates c={c} />
      <h2>{t("case.tasks")}</h2>
      <ul class="cards">
        {c.tasks.map((task: any) => (
          <li class={`card ${task.state === "open" ? urgency(task.dueAt) : ""}`}>
            {t(`task.${task.kind}`)} · {task.departmentCode} · {t(`taskState.${task.state}`)} · {t("task.due")}: {dueDay(task.dueAt)}
          </li>
        ))}
      </ul>
      <h2>{t("materials.title")}</h2>
      <Materials c={c} canRead={session()?.role !== "supervisor"} />
      <h2>{t("timeline.title")}</h2>
      <Timeline steps={c.timeline} />
    </section>
  );
}

function FindCase() {
  const [value, setValue] = useState("");
  return (
    <section>
      <h1>{t("nav.findCase")}</h1>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); location.hash = `#/cases/${encodeURIComponent(value.trim())}`; }}>
        <label>{t("case.number")}<input value={value} required maxLength={40} onInput={(e) => setValue((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="primary">{t("catalog.search")}</button>
      </form>
    </section>
  );
}

function Warnings() {
  const [level, setLevel] = useState("");
  const list = useLoad(() => api("GET", `/supervision/warnings?pageSize=100${level ? `&level=${level}` : ""}`), [level]);
  return (
    <section>
      <h1>{t("warnings.title")}</h1>
      <label>{t("warnings.level")}
        <select value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
          <option value="">{t("catalog.all")}</option>
          {["near-due", "overdue", "calendar-missing"].map((l) => <option value={l}>{t(`urgency.${l}`)}</option>)}
        </select>
      </label>
      <ErrorBox error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? <p class="muted">{t("warnings.empty")}</p> : null}
      <ul class="cards" data-testid="warnings">
        {(list.data?.items ?? []).map((w: any) => (
          <li class={`card ${w.level}`}>
            <span class={`tag ${w.level}`}>{t(`urgency.${w.level}`)}</span> <a href={`#/cases/${encodeURIComponent(w.caseNumber)}`}>{w.caseNumber}</a>
            <div class="muted">{w.departmentCode} · {w.limit} · {t("task.due")}: {dueDay(w.dueAt)} · {when(w.raisedAt)}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

boot(() => <App />);
