package org.wgan.examples.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wgan.core.internal.Checks;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;

/**
 * Per generator step: the Wasserstein estimate (or the critic's loss for other objectives), the losses and the
 * penalty, kept in memory and in a CSV file ({@code step,criticLoss,generatorLoss,wassersteinEstimate,penalty,
 * seconds}) appended as training goes. A resumed run {@link #truncateTo reads} the file and drops the rows after the
 * checkpoint's step, which it is about to train again, so the file always tells one run without repeats.
 */
public final class TrainingHistory implements TrainerListener {

    static final String HEADER = "step,criticLoss,generatorLoss,wassersteinEstimate,penalty,seconds";

    /** One generator step. */
    record Row(long step, double criticLoss, double generatorLoss, double wassersteinEstimate, double penalty,
            double seconds) {

        String csv() {
            return step + "," + criticLoss + "," + generatorLoss + "," + wassersteinEstimate + "," + penalty + ","
                    + seconds;
        }

        static Row parse(String line, Path file, int lineNumber) {
            String[] f = line.split(",");
            try {
                if (f.length != 6) {
                    throw new NumberFormatException("expected 6 fields, found " + f.length);
                }
                return new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(file + " line " + lineNumber + " is malformed (" + e.getMessage()
                        + "): " + line, e);
            }
        }
    }

    private final Path file;
    private final List<Row> rows = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();

    public TrainingHistory(Path file) {
        this.file = file;
    }

    /**
     * Starts from the rows of the file up to {@code upToStep} (generator steps completed), dropping later ones and
     * rewriting the file so; an empty history when {@code upToStep} is 0.
     */
    public void truncateTo(long upToStep) throws IOException {
        rows.clear();
        pending.setLength(0);
        if (upToStep > 0 && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    Row row = Row.parse(lines.get(i), file, i + 1);
                    if (row.step() <= upToStep) {
                        rows.add(row);
                    }
                }
            }
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        rows.forEach(r -> text.append(r.csv()).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @Override
    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
        Row row = new Row(event.generatorStep() + 1, event.criticLoss(), event.generatorLoss(),
                event.wassersteinEstimate(), event.penalty(), event.seconds());
        rows.add(row);
        pending.append(row.csv()).append('\n');
    }

    /** Appends the rows not yet written. */
    public void flush() throws IOException {
        if (!pending.isEmpty()) {
            Files.writeString(file, pending, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            pending.setLength(0);
        }
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /**
     * Writes the plot against the generator step, each series as its running median over {@code window} steps:
     * for a Wasserstein objective the Wasserstein estimate, the generator loss and the penalty; for another
     * objective the critic's (discriminator's) loss and the generator loss.
     */
    public void plot(Path png, String title, boolean wasserstein, int window) throws IOException {
        int n = rows.size();
        if (n == 0) {
            return;
        }
        double[] steps = new double[n];
        double[] estimate = new double[n];
        double[] critic = new double[n];
        double[] generator = new double[n];
        double[] penalty = new double[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            steps[i] = r.step();
            estimate[i] = r.wassersteinEstimate();
            critic[i] = r.criticLoss();
            generator[i] = r.generatorLoss();
            penalty[i] = r.penalty();
        }
        String median = " (running median of " + window + ")";
        Charts chart = new Charts(title, "generator step", "value");
        if (wasserstein) {
            chart.line("Wasserstein estimate" + median, steps, runningMedian(estimate, window))
                    .line("gradient penalty" + median, steps, runningMedian(penalty, window));
        } else {
            chart.line("discriminator loss" + median, steps, runningMedian(critic, window));
        }
        chart.line("generator loss" + median, steps, runningMedian(generator, window)).write(png);
    }

    /** The median of the last {@code window} values (fewer at the start) at every index. */
    static double[] runningMedian(double[] values, int window) {
        Checks.atLeast("window", window, 1);
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int from = Math.max(0, i - window + 1);
            double[] part = Arrays.copyOfRange(values, from, i + 1);
            Arrays.sort(part);
            int m = part.length;
            out[i] = m % 2 == 1 ? part[m / 2] : (part[m / 2 - 1] + part[m / 2]) / 2;
        }
        return out;
    }
}
