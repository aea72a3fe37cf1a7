// What the deployment tells the pages: where the API is and how to sign in. Served as /config.json
// (locally by the build; in Azure written at deployment), so no setting is compiled into the bundle.
export interface WebConfig {
  apiBase: string;
  signIn: "development" | "oidc";
  /** OIDC: the issuer whose /.well-known/openid-configuration names the endpoints. */
  issuer?: string;
  clientId?: string;
  scopes?: string;
}

let loaded: WebConfig = { apiBase: "/api", signIn: "development" };

export async function loadConfig(): Promise<void> {
  const response = await fetch(new URL("/config.json", location.origin).href, { cache: "no-cache" });
  if (response.ok) loaded = { ...loaded, ...(await response.json()) };
}

export const config = () => loaded;
