package org.wgan.examples.cli;

import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.NativeSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code wgan} command: {@code train} on a folder of images, {@code sample} from a run or an export,
 * {@code export} a generator as a plain DL4J zip, {@code info} on a run, {@code ui}: its live page.
 *
 * <pre>
 * wgan train --images ~/pictures/shoes --size 64 --rgb --steps 20000 --output runs/shoes
 * wgan train --resume runs/shoes --steps 30000
 * wgan sample --run runs/shoes --count 256 --output shoes-png/
 * wgan export --run runs/shoes --output shoe-generator.zip
 * wgan sample --model shoe-generator.zip --count 16 --grid grid.png
 * wgan evaluate --run runs/shoes --images ~/pictures/shoes-test
 * wgan info --run runs/shoes
 * wgan ui --run runs/shoes
 * </pre>
 */
@Command(name = "wgan", mixinStandardHelpOptions = true, version = "wgan 0.1.0-SNAPSHOT",
        description = "Trains Wasserstein GANs on your images, and samples from them.",
        subcommands = {TrainCommand.class, SampleCommand.class, ExportCommand.class, EvaluateCommand.class,
            InfoCommand.class, UiCommand.class})
public final class Wgan implements Runnable {

    /** Runs the command line; exit code 2 for a usage error (usage printed, no stack trace). */
    public static void main(String[] args) {
        NativeSetup.applyForConvolutions();
        Launcher.exit(Wgan::new, args);
    }

    @Override
    public void run() {
        throw new ParameterException(new CommandLine(this),
                "name a command: train, sample, export, evaluate, info or ui");
    }
}
