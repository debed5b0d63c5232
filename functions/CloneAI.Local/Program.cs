using CloneAI.Local.Hosting;

var app = LocalHost.Build(args);
await app.RunAsync();
