using Ali.Serverless.Translations;

return TranslationsCli.Run(args, Console.Out, Console.Error, Environment.CurrentDirectory);
