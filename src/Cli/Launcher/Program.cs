return CompilerLLM.Launcher.LauncherMain.Run(args);
