package org.wgan.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.ui.RunDashboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wgan ui}: serves the live page of a run folder, finished or still training (in another process, read from
 * its files), until Ctrl-C; {@code wgan train --ui} serves the same page from inside the run.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Serves the live page of a run folder (running or finished) until Ctrl-C.")
final class UiCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--run", paramLabel = "<run folder>", required = true, description = "the --output of wgan train")
    private Path run;

    @Option(names = "--host", description = "address to serve on (default: ${DEFAULT-VALUE}, this machine only; on"
            + " any other the page has no authentication)")
    private String host = RunDashboard.DEFAULT_HOST;

    @Option(names = "--port", description = "port to serve on, 0 for any free one (default: ${DEFAULT-VALUE})")
    private int port = RunDashboard.DEFAULT_PORT;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(run)) {
            throw new InvalidOptionException("--run " + run + ": no such folder");
        }
        if (!Files.isRegularFile(run.resolve(RunSettings.FILE))) {
            throw new InvalidOptionException("--run " + run + " holds no " + RunSettings.FILE + "; pass the --output"
                    + " folder of wgan train");
        }
        RunDashboard dashboard = LivePage.start(run, host, "--host", port, "--port");
        Thread closer = new Thread(dashboard::close, "wgan-ui-close");
        Runtime.getRuntime().addShutdownHook(closer);
        PrintWriter out = spec.commandLine().getOut();
        out.println("open " + dashboard.url() + " (Ctrl-C to stop)");
        out.flush();
        try {
            // the dashboard's threads are daemons: without this wait the JVM would end at once
            dashboard.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dashboard.close();
            try {
                Runtime.getRuntime().removeShutdownHook(closer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it closes the dashboard, which is closed already
            }
        }
        return 0;
    }
}
