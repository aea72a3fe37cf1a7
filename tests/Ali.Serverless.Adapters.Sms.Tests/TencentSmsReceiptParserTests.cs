namespace Ali.Serverless.Adapters.Sms.Tests;

public sealed class TencentSmsReceiptParserTests
{
    private readonly TencentSmsReceiptParser _parser = new();

    [Fact]
    public void ASuccessReport_IsADeliveredReceipt_KeyedBySid_InBeijingTime()
    {
        // Tencent's documented example of the callback body.
        var receipts = _parser.Parse("""
            [{"user_receive_time": "2015-10-17 08:03:04", "nationcode": "86", "mobile": "13800138000",
              "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功", "sid": "2640:123456789012345678"}]
            """);

        var receipt = Assert.Single(receipts);
        Assert.Equal("2640:123456789012345678", receipt.ProviderMessageId);
        Assert.True(receipt.Delivered);
        Assert.Equal(new DateTimeOffset(2015, 10, 17, 8, 3, 4, TimeSpan.FromHours(8)), receipt.ReportedAt);
        Assert.Equal("DELIVRD: 用户短信送达成功", receipt.Detail);
        Assert.DoesNotContain("13800138000", receipt.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AFailReport_IsAnUndeliveredReceipt_WithTheCarriersCode()
    {
        var receipts = _parser.Parse("""
            [{"user_receive_time": "2025-03-01 09:30:00", "nationcode": "86", "mobile": "13800138000",
              "report_status": "FAIL", "errmsg": "MK:0005", "description": "用户 13800138000 已关机", "sid": "2640:1"},
             {"user_receive_time": "2025-03-01 09:30:01", "nationcode": "86", "mobile": "13900139000",
              "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功", "sid": "2640:2"}]
            """);

        Assert.Equal(["2640:1", "2640:2"], receipts.Select(r => r.ProviderMessageId));
        Assert.False(receipts[0].Delivered);
        Assert.Equal("MK:0005: 用户 138****8000 已关机", receipts[0].Detail);
        Assert.All(receipts, r => Assert.DoesNotContain("13800138000", r.ToString(), StringComparison.Ordinal));
        Assert.All(receipts, r => Assert.DoesNotContain("13900139000", r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyBatch_IsNoReceipts()
    {
        Assert.Empty(_parser.Parse("[]"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"sid":"2640:1","report_status":"SUCCESS"}""")]
    [InlineData("""["2640:1"]""")]
    [InlineData("""[{"report_status":"SUCCESS","user_receive_time":"2025-03-01 09:30:00"}]""")]
    [InlineData("""[{"sid":"","report_status":"SUCCESS"}]""")]
    [InlineData("""[{"sid":"2640:1","report_status":"DELIVERED"}]""")]
    [InlineData("""[{"sid":"2640:1"}]""")]
    [InlineData("""[{"sid":"2640:1","report_status":"SUCCESS","user_receive_time":"17/10/2015 08:03"}]""")]
    public void AMalformedBody_IsAFormatException(string body)
    {
        Assert.Throws<FormatException>(() => _parser.Parse(body));
    }

    [Fact]
    public void TheReceiptToken_AcceptsOnlyItself_AndNothingWhenUnset()
    {
        var token = new ReceiptCallbackToken("s3cret-token");

        Assert.True(token.Accepts("s3cret-token"));
        Assert.False(token.Accepts("s3cret-tokeN"));
        Assert.False(token.Accepts(null));
        Assert.DoesNotContain("s3cret", token.ToString(), StringComparison.Ordinal);
        Assert.False(new ReceiptCallbackToken(null).Accepts(""));
        Assert.False(new ReceiptCallbackToken("").Accepts(""));
    }
}
