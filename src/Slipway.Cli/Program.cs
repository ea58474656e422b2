using Slipway.Cli;

return await SlipwayCli.RunConsoleAsync(args);
