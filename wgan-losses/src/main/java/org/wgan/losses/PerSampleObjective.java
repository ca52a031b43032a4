package org.wgan.losses;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
import org.wgan.core.objective.Objective;

/**
 * An objective whose losses are batch means of per-sample terms:
 * {@code L_C = mean_i real(s_i) + mean_j fake(s~_j)} and {@code L_G = mean_j gen(s~_j)}. Subclasses give each term
 * and its derivative; this class does the means, the gradients (derivative / batch) and the shape checks, in
 * double precision whatever the scores' type.
 */
abstract class PerSampleObjective implements Objective {

    /** A per-sample term and its derivative with respect to the score. */
    record Term(DoubleUnaryOperator value, DoubleUnaryOperator derivative) {
    }

    private final String name;
    private final Term real;
    private final Term fake;
    private final Term generator;

    PerSampleObjective(String name, Term real, Term fake, Term generator) {
        this.name = name;
        this.real = real;
        this.fake = fake;
        this.generator = generator;
    }

    @Override
    public final CriticLoss criticLoss(INDArray realScores, INDArray fakeScores) {
        double[] r = scores(realScores, "realScores");
        double[] f = scores(fakeScores, "fakeScores");
        double value = mean(r, real.value()) + mean(f, fake.value());
        return new CriticLoss(value, gradient(r, real.derivative(), realScores),
                gradient(f, fake.derivative(), fakeScores));
    }

    @Override
    public final GeneratorLoss generatorLoss(INDArray fakeScores) {
        double[] f = scores(fakeScores, "fakeScores");
        return new GeneratorLoss(mean(f, generator.value()), gradient(f, generator.derivative(), fakeScores));
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    private static double[] scores(INDArray scores, String field) {
        if (scores == null) {
            throw new NullPointerException(field);
        }
        if (scores.rank() != 2 || scores.size(1) != 1 || scores.size(0) < 1) {
            throw new IllegalArgumentException(field + " must have shape [batch, 1] with batch >= 1, but was "
                    + Arrays.toString(scores.shape()));
        }
        return scores.toDoubleVector();
    }

    private static double mean(double[] s, DoubleUnaryOperator term) {
        double sum = 0;
        for (double v : s) {
            sum += term.applyAsDouble(v);
        }
        return sum / s.length;
    }

    private static INDArray gradient(double[] s, DoubleUnaryOperator derivative, INDArray like) {
        double[] g = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            g[i] = derivative.applyAsDouble(s[i]) / s.length;
        }
        return Nd4j.create(g, new long[] {s.length, 1}, 'c').castTo(like.dataType());
    }
}
