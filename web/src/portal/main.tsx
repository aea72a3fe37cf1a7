// The applicants' portal: the catalog, an item's guide, applying (online, or by a window clerk for the
// person at the window), uploading materials, submitting, and following the case.
import { useEffect, useState } from "preact/hooks";
import { api, langQuery } from "../shared/api";
import { session } from "../shared/auth";
import { boot } from "../shared/boot";
import { t, when } from "../shared/i18n";
import { SignIn } from "../shared/signin";
import { Dates, ErrorBox, Loading, Shell, Status, Timeline, sizeText, useHash, useLoad } from "../shared/ui";
import { Progress, uploadMaterial } from "../shared/upload";

const counties = ["542500", "542521", "542522", "542523", "542524", "542525", "542526", "542527"];
const openStates = ["draft", "submitted", "pending-acceptance", "supplement-requested", "under-review", "suspended"];

function App() {
  const hash = useHash();
  const [path, query] = hash.slice(1).split("?");
  const parts = path.split("/").filter(Boolean);
  const nav = (
    <>
      <a href="#/">{t("nav.catalog")}</a>
      {session() ? <a href="#/mine">{t("nav.mine")}</a> : <a href="#/signin">{t("auth.signIn")}</a>}
    </>
  );
  let page;
  if (parts[0] === "items" && parts[1]) page = <ItemGuide code={decodeURIComponent(parts[1])} />;
  else if (parts[0] === "signin") page = <PortalSignIn next={new URLSearchParams(query).get("next") ?? "#/mine"} />;
  else if (!session() && ["apply", "mine", "applications"].includes(parts[0])) page = <PortalSignIn next={hash} />;
  else if (parts[0] === "apply" && parts[1]) page = <Apply code={decodeURIComponent(parts[1])} />;
  else if (parts[0] === "mine") page = <Mine />;
  else if (parts[0] === "applications" && parts[1]) page = <ApplicationView id={decodeURIComponent(parts[1])} />;
  else page = <Catalog />;
  return <Shell title={t("portal.title")} home="#/" nav={nav}>{page}</Shell>;
}

function useDepartments() {
  return useLoad(async () => {
    const all = await api("GET", `/catalog/items?${langQuery()}`);
    const seen = new Map<string, string>();
    for (const item of all.items) seen.set(item.departmentCode, item.departmentName);
    return [...seen].map(([code, name]) => ({ code, name }));
  }, []);
}

function PortalSignIn({ next }: { next: string }) {
  const departments = useDepartments();
  if (!departments.data) return departments.error ? <ErrorBox error={departments.error} /> : <Loading />;
  return <SignIn roles={["applicant", "window-clerk"]} departments={departments.data} next={next} />;
}

function Catalog() {
  const [keyword, setKeyword] = useState("");
  const [department, setDepartment] = useState("");
  const [county, setCounty] = useState("");
  const [search, setSearch] = useState({ keyword: "", department: "" });
  const departments = useDepartments();
  const items = useLoad(() => {
    const q = new URLSearchParams();
    if (search.keyword) q.set("keyword", search.keyword);
    if (search.department) q.set("department", search.department);
    return api("GET", `/catalog/items?${q}&${langQuery()}`);
  }, [search.keyword, search.department]);
  const shown = (items.data?.items ?? []).filter((i: any) => !county || i.divisionCode === county);
  return (
    <section>
      <h1>{t("catalog.title")}</h1>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setSearch({ keyword: keyword.trim(), department }); }}>
        <label>{t("catalog.keyword")}
          <input type="search" name="keyword" value={keyword} maxLength={50} placeholder={t("catalog.keywordHint")} onInput={(e) => setKeyword((e.target as HTMLInputElement).value)} />
        </label>
        <label>{t("catalog.department")}
          <select name="department" value={department} onChange={(e) => { const v = (e.target as HTMLSelectElement).value; setDepartment(v); setSearch({ keyword: keyword.trim(), department: v }); }}>
            <option value="">{t("catalog.all")}</option>
            {(departments.data ?? []).map((d) => <option value={d.code}>{d.name}</option>)}
          </select>
        </label>
        <label>{t("catalog.county")}
          <select name="county" value={county} onChange={(e) => setCounty((e.target as HTMLSelectElement).value)}>
            <option value="">{t("catalog.all")}</option>
            {counties.map((c) => <option value={c}>{t(`county.${c}`)}</option>)}
          </select>
        </label>
        <button type="submit" class="primary">{t("catalog.search")}</button>
      </form>
      <ErrorBox error={items.error} />
      {items.loading && !items.data ? <Loading /> : null}
      <p class="muted" aria-live="polite">{t("catalog.count", { n: shown.length })}</p>
      <ul class="cards" data-testid="catalog">
        {shown.map((i: any) => (
          <li class="card">
            <a href={`#/items/${encodeURIComponent(i.itemCode)}`} data-item={i.itemCode}>{i.name}</a>
            <div class="muted">{i.departmentName} · {t("item.promisedDays", { n: i.promisedTimeLimitDays })}{i.onlineCapable ? ` · ${t("item.online")}` : ""}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ItemGuide({ code }: { code: string }) {
  const item = useLoad(() => api("GET", `/catalog/items/${encodeURIComponent(code)}?${langQuery()}`), [code]);
  if (item.error) return <ErrorBox error={item.error} />;
  if (!item.data) return <Loading />;
  const i = item.data;
  return (
    <section>
      <h1 data-testid="item-name">{i.name}</h1>
      <p>{i.description}</p>
      <dl class="facts">
        <dt>{t("item.code")}</dt><dd>{i.itemCode}</dd>
        <dt>{t("item.department")}</dt><dd>{i.departmentName}</dd>
        <dt>{t("item.legalLimit")}</dt><dd>{t("item.days", { n: i.legalTimeLimitDays })}</dd>
        <dt>{t("item.promisedLimit")}</dt><dd>{t("item.days", { n: i.promisedTimeLimitDays })}</dd>
        <dt>{t("item.fee")}</dt><dd>{i.feeCharged ? `${t("item.feeCharged")} ${i.feeBasis ?? ""}` : t("item.free")}</dd>
        <dt>{t("item.where")}</dt><dd>{i.onlineCapable ? t("item.online") + " · " : ""}{t("item.window", { name: i.departmentName })}</dd>
        {i.legalBasis ? <><dt>{t("item.legalBasis")}</dt><dd>{i.legalBasis}</dd></> : null}
      </dl>
      <h2>{t("item.materials")}</h2>
      <ul class="cards">
        {i.materials.map((m: any) => (
          <li class="card">
            <strong>{m.name}</strong> {m.required ? <span class="tag">{t("item.required")}</span> : <span class="tag muted">{t("item.optional")}</span>}
            <div class="muted">{t("item.formats")}: {m.acceptedContentTypes.map(formatName).join(", ")} · {t("item.maxSize")}: {sizeText(m.maxSizeBytes)}</div>
            {m.issuingBody ? <div class="muted">{t("item.issuingBody")}: {m.issuingBody}</div> : null}
          </li>
        ))}
      </ul>
      {i.untranslated?.length ? <p class="muted">{t("item.untranslated")}</p> : null}
      {i.onlineCapable ? <a class="button primary" href={`#/apply/${encodeURIComponent(i.itemCode)}`} data-testid="apply">{t("item.apply")}</a> : null}
    </section>
  );
}

const formatName = (type: string) =>
  ({ "application/pdf": "PDF", "application/ofd": "OFD", "image/jpeg": "JPEG", "image/png": "PNG" } as Record<string, string>)[type] ?? type;

function Apply({ code }: { code: string }) {
  const item = useLoad(() => api("GET", `/catalog/items/${encodeURIComponent(code)}?${langQuery()}`), [code]);
  const clerk = session()?.role === "window-clerk";
  const [idempotencyKey] = useState(() => crypto.getRandomValues(new Uint32Array(4)).join("-"));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (item.error) return <ErrorBox error={item.error} />;
  if (!item.data) return <Loading />;
  const kinds: string[] = item.data.applicantKinds;
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const remark = String(form.get("remark") ?? "").trim();
    setBusy(true);
    try {
      const created = await api("POST", "/applications", {
        itemCode: code,
        channel: clerk ? "window" : "web",
        applicant: {
          kind: form.get("kind"),
          name: String(form.get("name") ?? "").trim(),
          documentNumber: String(form.get("documentNumber") ?? "").trim(),
          phone: String(form.get("phone") ?? "").trim() || undefined,
        },
        fields: remark ? { remark } : undefined,
      }, { "idempotency-key": idempotencyKey });
      location.hash = `#/applications/${encodeURIComponent(created.id)}`;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>{t("apply.title", { name: item.data.name })}</h1>
      {clerk ? <p class="banner info">{t("apply.window")}</p> : null}
      <form class="stack" onSubmit={submit}>
        <fieldset>
          <legend>{t("apply.applicant")}</legend>
          <label>{t("apply.kind")}
            <select name="kind">
              {kinds.map((k) => <option value={k === "2" ? "legal-person" : "natural-person"}>{t(k === "2" ? "apply.legalPerson" : "apply.naturalPerson")}</option>)}
            </select>
          </label>
          <label>{t("apply.name")}<input name="name" required maxLength={100} autoComplete="name" /></label>
          <label>{t("apply.documentNumber")}<input name="documentNumber" required maxLength={18} autoComplete="off" /></label>
          <label>{t("apply.phone")}<input name="phone" type="tel" maxLength={11} autoComplete="tel" /></label>
        </fieldset>
        <label>{t("apply.remark")}<textarea name="remark" rows={3} maxLength={500} /></label>
        <button type="submit" class="primary" disabled={busy}>{t("apply.open")}</button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}

function Mine() {
  const list = useLoad(() => api("GET", "/applications?pageSize=50"), []);
  if (list.error) return <ErrorBox error={list.error} />;
  if (!list.data) return <Loading />;
  return (
    <section>
      <h1>{t("mine.title")}</h1>
      {list.data.items.length === 0 ? <p class="muted">{t("mine.empty")}</p> : null}
      <ul class="cards">
        {list.data.items.map((a: any) => (
          <li class="card">
            <a href={`#/applications/${encodeURIComponent(a.id)}`}>{a.caseNumber ?? a.itemCode}</a> <Status status={a.status} />
            <div class="muted">{a.itemCode} · {when(a.updatedAt)}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ApplicationView({ id }: { id: string }) {
  const application = useLoad(async () => {
    const a = await api("GET", `/applications/${encodeURIComponent(id)}`);
    const item = await api("GET", `/catalog/items/${encodeURIComponent(a.itemCode)}?${langQuery()}`);
    return { a, item };
  }, [id]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // The queue's pre-check follows a submission within seconds: look again until it has.
  const pending = application.data?.a.status === "submitted";
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(application.reload, 1500);
    return () => clearTimeout(timer);
  }, [application.data]);
  if (application.error) return <ErrorBox error={application.error} />;
  if (!application.data) return <Loading />;
  const { a, item } = application.data;
  const act = async (path: string, body?: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/applications/${encodeURIComponent(id)}/${path}`, body);
      application.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const requested: string[] = (a.supplement?.materials ?? []).map((m: any) => m.code);
  const canUpload = (code: string) => a.status === "draft" || (a.status === "supplement-requested" && requested.includes(code));
  return (
    <section>
      <h1>{item.name}</h1>
      <p>{t("case.status")}: <Status status={a.status} /></p>
      <Dates c={a} />
      {a.status === "supplement-requested" ? (
        <div class="banner warn" data-testid="supplement">
          <strong>{t("supplement.title")}</strong>
          <ul>{a.supplement.materials.map((m: any) => <li>{item.materials.find((r: any) => r.code === m.code)?.name ?? m.code}: {m.reason}</li>)}</ul>
        </div>
      ) : null}
      {a.decision ? <p class="banner info" data-testid="decision">{t(`outcome.${a.decision.outcome}`)}{a.decision.opinion ? ` · ${a.decision.opinion}` : ""}</p> : null}
      <h2>{t("materials.title")}</h2>
      <ul class="cards">
        {item.materials.map((r: any) => {
          const held = [...a.materials].reverse().find((m: any) => m.materialCode === r.code);
          return (
            <li class="card" data-material={r.code}>
              <strong>{r.name}</strong> {r.required ? <span class="tag">{t("item.required")}</span> : null}
              {held ? <div class="muted">{held.fileName} · {sizeText(held.sizeBytes)} · <span data-testid="material-status" data-status={held.status}>{t(`material.${held.status}`)}</span></div> : null}
              {canUpload(r.code) ? <Uploader applicationId={a.id} requirement={r} done={application.reload} /> : null}
            </li>
          );
        })}
      </ul>
      <ErrorBox error={error} />
      <div class="actions">
        {a.status === "draft" ? <button type="button" class="primary" disabled={busy} onClick={() => act("submit")} data-testid="submit">{t("actions.submit")}</button> : null}
        {a.status === "supplement-requested" ? <button type="button" class="primary" disabled={busy} onClick={() => act("resubmit")} data-testid="resubmit">{t("actions.resubmit")}</button> : null}
        {openStates.includes(a.status) ? <Withdraw busy={busy} onWithdraw={(reason) => act("withdraw", reason ? { reason } : undefined)} /> : null}
      </div>
      <h2>{t("timeline.title")}</h2>
      <Timeline steps={a.timeline} />
    </section>
  );
}

function Withdraw(props: { busy: boolean; onWithdraw: (reason: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  if (!open) return <button type="button" onClick={() => setOpen(true)} data-testid="withdraw">{t("actions.withdraw")}</button>;
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); props.onWithdraw(reason.trim()); }}>
      <label>{t("withdraw.reason")}<textarea rows={2} maxLength={500} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} /></label>
      <button type="submit" class="danger" disabled={props.busy} data-testid="withdraw-confirm">{t("withdraw.confirm")}</button>
      <button type="button" onClick={() => setOpen(false)}>{t("actions.cancel")}</button>
    </form>
  );
}

function Uploader(props: { applicationId: string; requirement: any; done: () => void }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const r = props.requirement;
  const pick = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    try {
      await uploadMaterial(props.applicationId, r.code, file, setProgress);
      props.done();
    } catch (err) {
      setError(err);
    } finally {
      input.value = "";
    }
  };
  const label = `${t("materials.choose")} ${r.name}`;
  return (
    <div class="upload">
      <input type="file" id={`file-${r.code}`} aria-label={label} accept={r.acceptedContentTypes.join(",")} onChange={pick} data-testid={`file-${r.code}`} />
      {progress ? (
        <div>
          <progress max={progress.total || 1} value={progress.done} aria-label={t(`upload.${progress.phase}`)} />
          <span class="muted" data-testid={`progress-${r.code}`} data-phase={progress.phase}>
            {t(`upload.${progress.phase}`)} {progress.total ? Math.floor((100 * progress.done) / progress.total) : 100}%
          </span>
        </div>
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}

boot(() => <App />);
