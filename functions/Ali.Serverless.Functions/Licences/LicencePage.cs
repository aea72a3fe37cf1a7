using System.Net;
using System.Text;
using Ali.Serverless.Licences;
using QRCoder;

namespace Ali.Serverless.Functions.Licences;

/// <summary>Where the verification link of a licence's QR code points; null: the host the page was asked from.</summary>
public sealed record LicencePageOptions(string? PublicBaseUrl);

/// <summary>
/// The printable licence: one self-contained HTML page (no script, no CDN, fonts of the reader's system)
/// with the licence's content, its state, and a QR code drawn as inline SVG that encodes the verification
/// link. Everything taken from data is HTML-encoded.
/// </summary>
public static class LicencePage
{
    /// <summary>The link the QR code carries: anyone opening it sees the licence's state, with no sign-in.</summary>
    public static string VerificationUrl(string baseUrl, LicenceContent content) =>
        $"{baseUrl.TrimEnd('/')}/api/licences/verify?id={content.Id}&d={content.Digest()}";

    public static string QrSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    public static string Render(Licence licence, LicenceStatus status, string verificationUrl)
    {
        var c = licence.Content;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(c.TypeName)).Append(' ').Append(E(c.Number)).Append("</title>")
            .Append("<style>body{font-family:serif;max-width:42em;margin:2em auto;padding:0 1em}h1{text-align:center;letter-spacing:.3em}")
            .Append("table{border-collapse:collapse;width:100%}th,td{border:1px solid #444;padding:.4em;text-align:left;vertical-align:top}")
            .Append("th{width:9em;background:#f4f4f4}.qr{text-align:center;margin-top:1.5em}.qr svg{width:12em;height:12em}")
            .Append(".state{text-align:center;font-weight:bold}.small{font-size:.8em;word-break:break-all}@media print{.state{display:none}}</style></head><body>");
        html.Append("<h1>").Append(E(c.TypeName)).Append("</h1>");
        html.Append("<p class=\"state\">").Append(E(StateText(status))).Append("</p><table>");
        Row(html, "证照编号", c.Number);
        Row(html, "持证主体", c.Holder.Name);
        Row(html, "证件号码", c.Holder.IdentityNumber);
        foreach (var (name, value) in c.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            Row(html, name, value);
        }
        Row(html, "发证机关", c.IssuerDepartmentName);
        Row(html, "发证日期", LicenceContentView.Date(c.IssuedOn));
        Row(html, "有效期限", $"{LicenceContentView.Date(c.ValidFrom)} 至 {(c.ValidUntil is { } until ? LicenceContentView.Date(until) : "长期")}");
        Row(html, "办件编号", c.CaseNumber);
        if (licence.Revocation is { } revoked)
        {
            Row(html, "注销", $"{revoked.RevokedAt:yyyy-MM-dd}：{revoked.Reason}");
        }
        html.Append("</table><div class=\"qr\">").Append(QrSvg(verificationUrl))
            .Append("<p class=\"small\">扫码核验 / verify: ").Append(E(verificationUrl)).Append("</p>")
            .Append("<p class=\"small\">").Append(E(c.Algorithm)).Append(" kid ").Append(E(c.KeyId)).Append("<br>").Append(E(licence.Signature)).Append("</p></div>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string StateText(LicenceStatus status) => status switch
    {
        LicenceStatus.Valid => "有效",
        LicenceStatus.Revoked => "已注销",
        LicenceStatus.Expired => "已过期",
        _ => "核验未通过",
    };

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
