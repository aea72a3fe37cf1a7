using Ali.Serverless.Storage;

namespace Ali.Serverless.Core.Tests.Storage;

/// <summary>The local stand-in queue of a department: a valid Azure queue name, or a refusal.</summary>
public sealed class DepartmentTaskQueueNameTests
{
    [Theory]
    [InlineData("542500-ZRZYJ", "department-tasks-542500-zrzyj")]
    [InlineData("542500-STHJJ", "department-tasks-542500-sthjj")]
    [InlineData("sample-department", "department-tasks-sample-department")]
    [InlineData("X", "department-tasks-x")]
    public void IsTheCodeInLowerCase_AfterThePrefix(string departmentCode, string queue)
    {
        Assert.Equal(queue, StorageNames.DepartmentTaskQueue(departmentCode));
    }

    [Fact]
    public void TakesTheLongestCode_ThatStillFits63Characters()
    {
        var code = new string('A', 46);

        var queue = StorageNames.DepartmentTaskQueue(code);

        Assert.Equal(63, queue.Length);
        Assert.Throws<ArgumentException>(() => StorageNames.DepartmentTaskQueue(code + "A"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("-542500")]
    [InlineData("542500-")]
    [InlineData("542500--ZRZYJ")]
    [InlineData("542500_ZRZYJ")]
    [InlineData("542500 ZRZYJ")]
    [InlineData("542500.ZRZYJ")]
    [InlineData("阿里地区自然资源局")]
    [InlineData("542500-\u212A")] // KELVIN SIGN: lower-cases to an ASCII k, so it must be refused before.
    [InlineData("542500-İ")]
    [InlineData("542500-ZRZYJ\n")] // a $ anchor would match before this final newline
    public void RefusesACodeThatCannotMakeAQueueName(string departmentCode)
    {
        var error = Assert.Throws<ArgumentException>(() => StorageNames.DepartmentTaskQueue(departmentCode));

        Assert.Equal("departmentCode", error.ParamName);
    }

    [Fact]
    public void RefusesNull()
    {
        Assert.Throws<ArgumentNullException>(() => StorageNames.DepartmentTaskQueue(null!));
    }

    [Fact]
    public void EveryQueueNameItMakes_IsAValidAzureQueueName()
    {
        foreach (var code in new[] { "542500-ZRZYJ", "a", "0", "a-b-c", new string('9', 46) })
        {
            Assert.Matches("^(?=.{3,63}$)[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$", StorageNames.DepartmentTaskQueue(code));
        }
    }

    [Fact]
    public void PoisonQueue_IsTheQueueWithTheHostsSuffix()
    {
        Assert.Equal("application-submitted-poison", StorageNames.PoisonQueue(StorageNames.ApplicationSubmittedQueue));
    }
}
