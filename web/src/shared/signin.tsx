// The sign-in page. Locally: choose a role, a subject and (for staff) a department, and the
// development token route mints the token. In Azure: the identity provider's page (OIDC + PKCE).
import { useState } from "preact/hooks";
import { config } from "./config";
import { devSignIn, oidcSignIn } from "./auth";
import { t } from "./i18n";
import { ErrorBox, refresh } from "./ui";

export function SignIn(props: { roles: string[]; departments: { code: string; name: string }[]; next: string }) {
  const [role, setRole] = useState(props.roles[0]);
  const [subject, setSubject] = useState("");
  const [department, setDepartment] = useState(props.departments[0]?.code ?? "");
  const [error, setError] = useState<unknown>(null);
  if (config().signIn === "oidc") {
    return (
      <section>
        <h1>{t("auth.title")}</h1>
        <button type="button" class="primary" onClick={() => oidcSignIn(props.next).catch(setError)}>{t("auth.oidc")}</button>
        <ErrorBox error={error} />
      </section>
    );
  }
  const staff = role !== "applicant" && role !== "supervisor";
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await devSignIn(role, subject.trim() || `${role}-1`, staff ? department : undefined);
      location.hash = props.next;
      refresh();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h1>{t("auth.title")}</h1>
      <p class="muted">{t("auth.devNote")}</p>
      <form onSubmit={submit} class="stack">
        <label>{t("auth.role")}
          <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            {props.roles.map((r) => <option value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </label>
        <label>{t("auth.subject")}
          <input name="subject" value={subject} placeholder={`${role}-1`} onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
        </label>
        {staff ? (
          <label>{t("auth.department")}
            <select name="department" value={department} onChange={(e) => setDepartment((e.target as HTMLSelectElement).value)}>
              {props.departments.map((d) => <option value={d.code}>{d.name} ({d.code})</option>)}
            </select>
          </label>
        ) : null}
        <button type="submit" class="primary">{t("auth.signIn")}</button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
