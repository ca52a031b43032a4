package org.wgan.examples.cli;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.ui.RunDashboard;

/**
 * Starts the live page of a run folder ({@link RunDashboard}) for {@code wgan train --ui} and {@code wgan ui},
 * turning what the dashboard refuses into a usage error naming the command line's option.
 */
final class LivePage {

    private LivePage() {
    }

    /**
     * A started dashboard of {@code folder} (which must exist) on {@code host}:{@code port}.
     *
     * @param hostOption the option that gave the host, named in its error
     * @param portOption the option that gave the port, named in its errors (also when the port is in use)
     * @throws InvalidOptionException when the host does not resolve, the port is outside 0..65535 or in use
     */
    static RunDashboard start(Path folder, String host, String hostOption, int port, String portOption)
            throws IOException {
        RunDashboard.Builder builder = RunDashboard.builder(folder);
        try {
            builder.host(host);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(hostOption + " " + host + ": not an IP address or a name that resolves");
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidOptionException(portOption + " must be in 0..65535 (0: any free port), but was " + port);
        }
        RunDashboard dashboard = builder.port(port).build();
        try {
            dashboard.start();
        } catch (BindException e) {
            throw new InvalidOptionException(portOption + " " + port + ": cannot serve the page on " + host + ":"
                    + port + " (" + e.getMessage() + "); pass another " + portOption + ", or 0 for any free port");
        }
        return dashboard;
    }
}
