using Microsoft.Extensions.Logging;
using Moq;

namespace Ali.Serverless.Functions.Tests.Support;

internal static class LoggerMockExtensions
{
    /// <summary>Checks how many entries of <paramref name="level"/> the mocked logger received.</summary>
    public static void VerifyLogged<T>(this Mock<ILogger<T>> logger, LogLevel level, Times times) =>
        logger.Verify(
            l => l.Log(
                level,
                It.IsAny<EventId>(),
                It.IsAny<It.IsAnyType>(),
                It.IsAny<Exception?>(),
                It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            times);
}
