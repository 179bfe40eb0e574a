return await CoPriv.Pbm.PbmApp.RunAsync(args, Console.Out, Console.Error);
