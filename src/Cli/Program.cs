using CoPriv.Cli;

return CliApp.Run(args);
