// Who is signed in. Locally: the development token route (any role and department). In Azure: OpenID
// Connect, authorization code with PKCE, as a public client: the browser holds no secret, only a
// one-time verifier whose hash went with the authorization request.
import { config } from "./config";

export interface Session {
  accessToken: string;
  role: string;
  subject: string;
  department?: string;
  expiresAt?: number;
}

const sessionKey = "ali.session";
const pkceKey = "ali.pkce";

export function session(): Session | null {
  try {
    const raw = sessionStorage.getItem(sessionKey);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (s.expiresAt && s.expiresAt < Date.now()) {
      sessionStorage.removeItem(sessionKey);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export const token = () => session()?.accessToken;

export function signOut() {
  sessionStorage.removeItem(sessionKey);
}

function claimsOf(jwt: string): Record<string, any> {
  const part = jwt.split(".")[1] ?? "";
  const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
  return JSON.parse(decodeURIComponent(Array.from(json, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join("")));
}

function remember(accessToken: string) {
  const claims = claimsOf(accessToken);
  const roles = ([] as string[]).concat(claims.roles ?? claims.role ?? []);
  const s: Session = {
    accessToken,
    role: roles[0] ?? "applicant",
    subject: claims.sub ?? "",
    department: claims.department,
    expiresAt: claims.exp ? claims.exp * 1000 : undefined,
  };
  sessionStorage.setItem(sessionKey, JSON.stringify(s));
  return s;
}

/** Development only: the local host mints a token for the chosen role, subject and department. */
export async function devSignIn(role: string, subject: string, department?: string): Promise<Session> {
  const response = await fetch(`${config().apiBase}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ role, subject, department: department || undefined, mfa: role !== "applicant" }),
  });
  if (!response.ok) throw new Error(`dev token: ${response.status}`);
  return remember((await response.json()).accessToken);
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function discovery(): Promise<{ authorization_endpoint: string; token_endpoint: string }> {
  const issuer = config().issuer!.replace(/\/$/, "");
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OIDC discovery: ${response.status}`);
  return response.json();
}

const redirectUri = () => location.origin + location.pathname;

/** Sends the browser to the identity provider with a fresh PKCE verifier and state. */
export async function oidcSignIn(returnTo: string): Promise<void> {
  const { authorization_endpoint } = await discovery();
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  sessionStorage.setItem(pkceKey, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config().clientId!,
    redirect_uri: redirectUri(),
    scope: config().scopes ?? "openid",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  location.assign(`${authorization_endpoint}?${query}`);
}

/** On return from the identity provider: trades the code and the verifier for tokens. */
export async function completeOidcSignIn(): Promise<string | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  if (!code) return null;
  const pending = JSON.parse(sessionStorage.getItem(pkceKey) ?? "null");
  sessionStorage.removeItem(pkceKey);
  history.replaceState(null, "", location.pathname + (pending?.returnTo ?? ""));
  if (!pending || pending.state !== params.get("state")) throw new Error("OIDC: the state does not match this sign-in.");
  const { token_endpoint } = await discovery();
  const response = await fetch(token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: config().clientId!,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`OIDC token: ${response.status}`);
  const tokens = await response.json();
  remember(tokens.access_token);
  return pending.returnTo ?? null;
}
