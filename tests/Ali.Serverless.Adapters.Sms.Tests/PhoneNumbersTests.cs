namespace Ali.Serverless.Adapters.Sms.Tests;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("13800138000", "+8613800138000")]
    [InlineData("+8613800138000", "+8613800138000")]
    [InlineData("008613800138000", "+8613800138000")]
    [InlineData("8613800138000", "+8613800138000")]
    [InlineData(" 138 0013 8000 ", "+8613800138000")]
    [InlineData("138-0013-8000", "+8613800138000")]
    [InlineData("12800138000", null)]
    [InlineData("1380013800", null)]
    [InlineData("+14155550100", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void MainlandMobiles_BecomePlus86AndElevenDigits(string? text, string? expected)
    {
        Assert.Equal(expected, PhoneNumbers.ToMainlandE164(text));
    }

    [Theory]
    [InlineData("13800138000", "138****8000")]
    [InlineData("+8613800138000", "138****8000")]
    [InlineData("+14155550100", "141****0100")]
    [InlineData("12345", "****")]
    [InlineData(null, "****")]
    public void Masks_KeepTheFirstThreeAndLastFourDigits(string? text, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.Mask(text));
    }

    [Fact]
    public void Scrub_MasksEveryMobileInAText_AndLeavesOtherNumbers()
    {
        Assert.Equal(
            "138****8000 and 139****9999 failed; app 1400006666, serial 2640:123456789012345678",
            PhoneNumbers.Scrub("13800138000 and +8613912349999 failed; app 1400006666, serial 2640:123456789012345678"));
    }
}
