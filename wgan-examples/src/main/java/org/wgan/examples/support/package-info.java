/**
 * What every example main shares. Start with {@link org.wgan.examples.support.Launcher}: a main is one line,
 * {@code Launcher.exit(MyExample::new, args)}, which applies {@link org.wgan.examples.support.NativeSetup}, parses
 * the command line and turns a rejected option value into picocli's usage message and exit code 2, and an I/O error
 * (missing data, an output folder it cannot write) into one line naming the path, exit code 1. The options come
 * as picocli mixins: {@link org.wgan.examples.support.CommonOptions} ({@code --seed}, {@code --output},
 * {@code --threads}) in every example, {@link org.wgan.examples.support.TrainingOptions} ({@code --steps},
 * {@code --critic-steps}, {@code --batch-size}, {@code --no-progress}) in those that train, and single options shared
 * by two examples ({@code --eval-every}, {@code --ema-decay}, {@code --penalty-weight}); each validates its values
 * through {@link org.wgan.examples.support.OptionChecks}, naming the option in the message, and each main checks its
 * output folder with {@link org.wgan.examples.support.CommonOptions#writableFolder} before it trains. Training reports
 * to the console through {@link org.wgan.examples.support.ConsoleProgress}; the demos and plots draw with {@link
 * org.wgan.examples.support.Charts}.
 */
package org.wgan.examples.support;
