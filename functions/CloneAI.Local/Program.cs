using CloneAI.Local.Backup;
using CloneAI.Local.Hosting;

if (BackupCommand.Handles(args)) return await BackupCommand.RunAsync(args, Console.Out, Console.Error);

var app = LocalHost.Build(args);
await app.RunAsync();
return 0;
