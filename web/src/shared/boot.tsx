// Starts a front end: configuration, UI strings, the OIDC return, then the first render.
import { render, VNode } from "preact";
import { loadConfig } from "./config";
import { loadStrings } from "./i18n";
import { completeOidcSignIn } from "./auth";
import { setRerender } from "./ui";

export async function boot(app: () => VNode) {
  const root = document.getElementById("app")!;
  try {
    await loadConfig();
    await loadStrings();
    await completeOidcSignIn();
  } catch (e) {
    // Before the strings load there is nothing to translate with: say it plainly in Chinese.
    root.textContent = "无法连接服务器，请检查网络后刷新页面。";
    throw e;
  }
  const draw = () => render(app(), root);
  setRerender(draw);
  draw();
}
