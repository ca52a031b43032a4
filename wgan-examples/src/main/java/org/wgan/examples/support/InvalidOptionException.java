package org.wgan.examples.support;

/**
 * A command-line option holds a value the example does not accept. The message names the option, the rule and the
 * value ({@code "--steps must be >= 1, but was 0"}); {@link Launcher} prints it with the usage and exits with code 2.
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** An exception with this message (option, rule, value). */
    public InvalidOptionException(String message) {
        super(message);
    }
}
