Console.Error.WriteLine("usage: pbm <host:port> <command> — the inspection client; its command palettes arrive with the actor runtime.");
return 2;
