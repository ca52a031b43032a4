package org.wgan.examples.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
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
     * @throws InvalidOptionException when the host does not resolve or is not this machine's, the port is outside
     *                                0..65535 or in use
     */
    static RunDashboard start(Path folder, String host, String hostOption, int port, String portOption)
            throws IOException {
        RunDashboard.Builder builder = RunDashboard.builder(folder);
        try {
            builder.host(host);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(hostOption + " " + host + ": not an IP address or a name that resolves");
        }
        InetAddress address = InetAddress.getByName(host);
        if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()
                && NetworkInterface.getByInetAddress(address) == null) {
            throw new InvalidOptionException(hostOption + " " + host + ": not an address of this machine (pass one"
                    + " of its own, 0.0.0.0 for all of them, or leave the default " + RunDashboard.DEFAULT_HOST + ")");
        }
        try {
            builder.port(port);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(portOption + " must be in 0..65535 (0: any free port), but was " + port);
        }
        RunDashboard dashboard = builder.build();
        try {
            dashboard.start();
        } catch (BindException e) {
            String cause = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            if (cause != null && cause.contains("in use")) {
                throw new InvalidOptionException(portOption + " " + port + ": cannot serve the page on " + host + ":"
                        + port + " (" + e.getMessage() + "); pass another " + portOption + ", or 0 for any free port");
            }
            throw new InvalidOptionException(hostOption + " " + host + ": cannot serve the page on " + host + ":"
                    + port + " (" + e.getMessage() + ")");
        }
        return dashboard;
    }
}
