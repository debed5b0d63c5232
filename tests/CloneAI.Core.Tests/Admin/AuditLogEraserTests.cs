using CloneAI.Core.Admin;
using CloneAI.Core.Audit;
using CloneAI.Core.Privacy;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Tests.Admin;

public sealed class AuditLogEraserTests
{
    [Fact]
    public async Task DeletingAnAccountPseudonymisesTheAuditEntriesThatNameIt()
    {
        var log = new Mock<IAuditLog>();
        var eraser = new AuditLogEraser(log.Object);

        await eraser.EraseAsync("u1", "deleted-7f3a");

        log.Verify(l => l.PseudonymiseAsync("u1", "deleted-7f3a", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("audit-log", eraser.Name);
        Assert.Equal(100, ((IUserDataEraser)eraser).Order);
    }
}
