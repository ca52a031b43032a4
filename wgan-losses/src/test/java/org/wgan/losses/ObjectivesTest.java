package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.losses.Scores.column;
import static org.wgan.losses.Scores.list;
import static org.wgan.losses.Scores.perturbed;
import static org.wgan.losses.Scores.values;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
import org.wgan.core.objective.Objective;

/**
 * The contract every objective from {@link Objectives} honours, run over all five of them: losses equal batch
 * means of the paper's per-sample terms (written out here independently, in their naive textbook form), every
 * returned gradient matches central finite differences, gradients point the right way, extreme scores stay
 * finite, shapes are validated with messages naming the field and the shape, and FLOAT scores give FLOAT
 * gradients. Literal golden values per objective are in the {@code <Objective>Test} classes.
 */
class ObjectivesTest {

    /** Fixed critic outputs used throughout; none is at the hinge's kinks (+-1). */
    static final double[] REAL = {-5.0, 1.4, 12.5, 2.7};
    static final double[] FAKE = {10.0, 4.4, -5.5, 3.6};

    /**
     * An objective with reference per-sample terms, written from the papers' formulas without the stable forms
     * of the main code: softplus as {@code log(1 + e^x)} (fine for |x| <= 12.5), {@code -log sigmoid(s)} as
     * {@code log(1 + e^-s)}.
     */
    record Case(Objective objective, DoubleUnaryOperator realTerm, DoubleUnaryOperator fakeTerm,
            DoubleUnaryOperator generatorTerm) {

        double criticLoss(double[] real, double[] fake) {
            return mean(real, realTerm) + mean(fake, fakeTerm);
        }

        double generatorLoss(double[] fake) {
            return mean(fake, generatorTerm);
        }

        private static double mean(double[] s, DoubleUnaryOperator term) {
            return Arrays.stream(s).map(term).sum() / s.length;
        }

        @Override
        public String toString() {
            return objective.name();
        }
    }

    private static double naiveSoftplus(double x) {
        return Math.log(1 + Math.exp(x));
    }

    static Stream<Case> objectives() {
        return Stream.of(
                // L_C = mean f(x~) - mean f(x), L_G = -mean f(x~)
                new Case(Objectives.wasserstein(), s -> -s, s -> s, s -> -s),
                // L_D = -mean log sigmoid(s) - mean log(1 - sigmoid(s~)), L_G = mean log(1 - sigmoid(s~))
                new Case(Objectives.minimax(),
                        s -> -Math.log(1 / (1 + Math.exp(-s))),
                        s -> -Math.log(1 - 1 / (1 + Math.exp(-s))),
                        s -> -naiveSoftplus(s)),
                // same discriminator, L_G = -mean log sigmoid(s~)
                new Case(Objectives.nonSaturating(),
                        s -> naiveSoftplus(-s),
                        s -> naiveSoftplus(s),
                        s -> -Math.log(1 / (1 + Math.exp(-s)))),
                // targets b = 1 (real), a = 0 (fake), c = 1 (generator)
                new Case(Objectives.leastSquares(),
                        s -> 0.5 * (s - 1) * (s - 1),
                        s -> 0.5 * s * s,
                        s -> 0.5 * (s - 1) * (s - 1)),
                new Case(Objectives.hinge(),
                        s -> s < 1 ? 1 - s : 0,
                        s -> s > -1 ? 1 + s : 0,
                        s -> -s));
    }

    /** Score sets for the finite-difference checks: wide ones, and ones near 0 where the curvature is largest. */
    static Stream<Arguments> objectivesAndScores() {
        List<double[][]> scoreSets = List.of(
                new double[][] {REAL, FAKE},
                new double[][] {{-0.7, 0.3, 0.55, 2.2, -1.45}, {-1.6, -0.45, 0.2, 1.3, 0.95}},
                new double[][] {{0.0}, {0.5}});
        return objectives().flatMap(c -> scoreSets.stream()
                .map(s -> Arguments.of(c, s[0], s[1])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void criticLossIsTheBatchMeanOfThePerSampleTerms(Case c) {
        CriticLoss loss = c.objective().criticLoss(column(REAL), column(FAKE));

        assertThat(loss.value()).isCloseTo(c.criticLoss(REAL, FAKE), within(1e-12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void generatorLossIsTheBatchMeanOfThePerSampleTerm(Case c) {
        GeneratorLoss loss = c.objective().generatorLoss(column(FAKE));

        assertThat(loss.value()).isCloseTo(c.generatorLoss(FAKE), within(1e-12));
    }

    @ParameterizedTest(name = "{0} on {1} / {2}")
    @MethodSource("objectivesAndScores")
    void criticGradientsMatchCentralFiniteDifferences(Case c, double[] real, double[] fake) {
        Objective objective = c.objective();
        CriticLoss loss = objective.criticLoss(column(real), column(fake));
        double h = 1e-5;

        double[] realGradient = values(loss.realGradient());
        for (int i = 0; i < real.length; i++) {
            double plus = objective.criticLoss(column(perturbed(real, i, h)), column(fake)).value();
            double minus = objective.criticLoss(column(perturbed(real, i, -h)), column(fake)).value();
            assertThat(realGradient[i]).as("d L_C / d real[%d]", i)
                    .isCloseTo((plus - minus) / (2 * h), within(1e-8));
        }
        double[] fakeGradient = values(loss.fakeGradient());
        for (int i = 0; i < fake.length; i++) {
            double plus = objective.criticLoss(column(real), column(perturbed(fake, i, h))).value();
            double minus = objective.criticLoss(column(real), column(perturbed(fake, i, -h))).value();
            assertThat(fakeGradient[i]).as("d L_C / d fake[%d]", i)
                    .isCloseTo((plus - minus) / (2 * h), within(1e-8));
        }
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("objectivesAndScores")
    void generatorGradientMatchesCentralFiniteDifferences(Case c, double[] real, double[] fake) {
        Objective objective = c.objective();
        double[] gradient = values(objective.generatorLoss(column(fake)).fakeGradient());
        double h = 1e-5;

        for (int i = 0; i < fake.length; i++) {
            double plus = objective.generatorLoss(column(perturbed(fake, i, h))).value();
            double minus = objective.generatorLoss(column(perturbed(fake, i, -h))).value();
            assertThat(gradient[i]).as("d L_G / d fake[%d]", i)
                    .isCloseTo((plus - minus) / (2 * h), within(1e-8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void criticGradientRaisesRealScoresAndLowersFakeScores(Case c) {
        // real scores in (-1, 1) and fake ones in (0, 1): every objective's terms are strictly sloped there
        CriticLoss loss = c.objective().criticLoss(column(-0.5, 0.0, 0.5), column(0.1, 0.5, 0.9));

        // gradient descent moves s by -gradient: real scores must go up, fake ones down
        assertThat(list(loss.realGradient())).allSatisfy(g -> assertThat(g).isNegative());
        assertThat(list(loss.fakeGradient())).allSatisfy(g -> assertThat(g).isPositive());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void generatorGradientRaisesFakeScores(Case c) {
        GeneratorLoss loss = c.objective().generatorLoss(column(-3.0, -0.5, 0.0, 0.5));

        assertThat(list(loss.fakeGradient())).allSatisfy(g -> assertThat(g).isNegative());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void aSmallGradientStepLowersBothLosses(Case c) {
        Objective objective = c.objective();
        double[] real = {-0.7, 0.3, 0.55, 2.2};
        double[] fake = {-1.6, -0.45, 0.2, 0.95};
        CriticLoss critic = objective.criticLoss(column(real), column(fake));
        GeneratorLoss generator = objective.generatorLoss(column(fake));
        double eta = 1e-3;

        double[] realStep = step(real, values(critic.realGradient()), eta);
        double[] fakeStep = step(fake, values(critic.fakeGradient()), eta);
        double[] generatorStep = step(fake, values(generator.fakeGradient()), eta);

        assertThat(objective.criticLoss(column(realStep), column(fakeStep)).value()).isLessThan(critic.value());
        assertThat(objective.generatorLoss(column(generatorStep)).value()).isLessThan(generator.value());
    }

    private static double[] step(double[] s, double[] gradient, double eta) {
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] - eta * gradient[i];
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void lossesAreBatchMeansSoRepeatingTheBatchKeepsTheLossAndHalvesTheGradients(Case c) {
        Objective objective = c.objective();
        double[] real2 = concat(REAL, REAL);
        double[] fake2 = concat(FAKE, FAKE);

        CriticLoss once = objective.criticLoss(column(REAL), column(FAKE));
        CriticLoss twice = objective.criticLoss(column(real2), column(fake2));
        GeneratorLoss generatorOnce = objective.generatorLoss(column(FAKE));
        GeneratorLoss generatorTwice = objective.generatorLoss(column(fake2));

        assertThat(twice.value()).isCloseTo(once.value(), within(1e-12));
        assertThat(generatorTwice.value()).isCloseTo(generatorOnce.value(), within(1e-12));
        for (int i = 0; i < REAL.length; i++) {
            assertThat(twice.realGradient().getDouble(i, 0)).isCloseTo(once.realGradient().getDouble(i, 0) / 2,
                    within(1e-15));
            assertThat(twice.fakeGradient().getDouble(i + REAL.length, 0))
                    .isCloseTo(once.fakeGradient().getDouble(i, 0) / 2, within(1e-15));
            assertThat(generatorTwice.fakeGradient().getDouble(i, 0))
                    .isCloseTo(generatorOnce.fakeGradient().getDouble(i, 0) / 2, within(1e-15));
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void extremeScoresGiveFiniteLossesAndGradients(Case c) {
        Objective objective = c.objective();
        INDArray extreme = column(1000, -1000, 1000, -1000);
        INDArray flipped = column(-1000, 1000, -1000, 1000);

        CriticLoss critic = objective.criticLoss(extreme, flipped);
        GeneratorLoss generatorHigh = objective.generatorLoss(extreme);
        GeneratorLoss generatorLow = objective.generatorLoss(flipped);

        assertThat(critic.value()).isFinite();
        assertThat(generatorHigh.value()).isFinite();
        assertThat(generatorLow.value()).isFinite();
        assertThat(list(critic.realGradient())).allSatisfy(g -> assertThat(g).isFinite());
        assertThat(list(critic.fakeGradient())).allSatisfy(g -> assertThat(g).isFinite());
        assertThat(list(generatorHigh.fakeGradient())).allSatisfy(g -> assertThat(g).isFinite());
        assertThat(list(generatorLow.fakeGradient())).allSatisfy(g -> assertThat(g).isFinite());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void gradientsHaveTheShapeAndTypeOfDoubleScores(Case c) {
        CriticLoss critic = c.objective().criticLoss(column(REAL), column(FAKE));
        GeneratorLoss generator = c.objective().generatorLoss(column(FAKE));

        for (INDArray gradient : List.of(critic.realGradient(), critic.fakeGradient(), generator.fakeGradient())) {
            assertThat(gradient.shape()).containsExactly(4, 1);
            assertThat(gradient.dataType()).isEqualTo(DataType.DOUBLE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void floatScoresGiveFloatGradientsWithTheSameValues(Case c) {
        Objective objective = c.objective();
        INDArray real = column(REAL).castTo(DataType.FLOAT);
        INDArray fake = column(FAKE).castTo(DataType.FLOAT);

        CriticLoss critic = objective.criticLoss(real, fake);
        GeneratorLoss generator = objective.generatorLoss(fake);
        CriticLoss criticDouble = objective.criticLoss(column(REAL), column(FAKE));
        GeneratorLoss generatorDouble = objective.generatorLoss(column(FAKE));

        assertThat(critic.realGradient().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(critic.fakeGradient().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(generator.fakeGradient().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(critic.realGradient().shape()).containsExactly(4, 1);
        // the float inputs differ from the double ones by rounding (about 1e-7 relative)
        assertThat(critic.value()).isCloseTo(criticDouble.value(), within(1e-5));
        assertThat(generator.value()).isCloseTo(generatorDouble.value(), within(1e-5));
        assertClose(critic.realGradient(), criticDouble.realGradient(), 1e-6);
        assertClose(critic.fakeGradient(), criticDouble.fakeGradient(), 1e-6);
        assertClose(generator.fakeGradient(), generatorDouble.fakeGradient(), 1e-6);
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        double[] a = values(actual);
        double[] e = values(expected);
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(e[i], within(tolerance));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void scoresAreNotModified(Case c) {
        INDArray real = column(REAL);
        INDArray fake = column(FAKE);

        c.objective().criticLoss(real, fake);
        c.objective().generatorLoss(fake);

        assertThat(values(real)).containsExactly(REAL);
        assertThat(values(fake)).containsExactly(FAKE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void rejectsRealScoresWithTwoColumnsNamingFieldAndShape(Case c) {
        INDArray twoColumns = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {4, 2}, 'c');

        assertThatIllegalArgumentException().isThrownBy(() -> c.objective().criticLoss(twoColumns, column(FAKE)))
                .withMessageContaining("realScores")
                .withMessageContaining("[batch, 1]")
                .withMessageContaining("[4, 2]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void rejectsRankOneFakeScoresNamingFieldAndShape(Case c) {
        INDArray rankOne = Nd4j.create(FAKE.clone(), new long[] {4}, 'c');

        assertThatIllegalArgumentException().isThrownBy(() -> c.objective().criticLoss(column(REAL), rankOne))
                .withMessageContaining("fakeScores")
                .withMessageContaining("[4]");
        assertThatIllegalArgumentException().isThrownBy(() -> c.objective().generatorLoss(rankOne))
                .withMessageContaining("fakeScores")
                .withMessageContaining("[4]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void rejectsFakeScoresWithTwoColumnsInTheGeneratorLoss(Case c) {
        INDArray twoColumns = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {2, 2}, 'c');

        assertThatIllegalArgumentException().isThrownBy(() -> c.objective().generatorLoss(twoColumns))
                .withMessage("fakeScores must have shape [batch, 1] with batch >= 1, but was [2, 2]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void rejectsAnEmptyBatch(Case c) {
        INDArray empty = Nd4j.create(DataType.DOUBLE, 0, 1);

        assertThatIllegalArgumentException().isThrownBy(() -> c.objective().criticLoss(empty, column(FAKE)))
                .withMessage("realScores must have shape [batch, 1] with batch >= 1, but was [0, 1]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void rejectsNullScoresNamingTheField(Case c) {
        assertThatNullPointerException().isThrownBy(() -> c.objective().criticLoss(null, column(FAKE)))
                .withMessage("realScores");
        assertThatNullPointerException().isThrownBy(() -> c.objective().criticLoss(column(REAL), null))
                .withMessage("fakeScores");
        assertThatNullPointerException().isThrownBy(() -> c.objective().generatorLoss(null))
                .withMessage("fakeScores");
    }

    @Test
    void onlyWassersteinRequiresALipschitzConstraint() {
        assertThat(Objectives.wasserstein().requiresLipschitzConstraint()).isTrue();
        assertThat(Objectives.minimax().requiresLipschitzConstraint()).isFalse();
        assertThat(Objectives.nonSaturating().requiresLipschitzConstraint()).isFalse();
        assertThat(Objectives.leastSquares().requiresLipschitzConstraint()).isFalse();
        assertThat(Objectives.hinge().requiresLipschitzConstraint()).isFalse();
    }

    @Test
    void factoriesGiveNamedObjectives() {
        assertThat(Objectives.wasserstein().name()).isEqualTo("wasserstein");
        assertThat(Objectives.minimax().name()).isEqualTo("minimax");
        assertThat(Objectives.nonSaturating().name()).isEqualTo("non-saturating");
        assertThat(Objectives.leastSquares().name()).isEqualTo("least-squares");
        assertThat(Objectives.hinge().name()).isEqualTo("hinge");
        assertThat(Objectives.wasserstein()).isSameAs(Objectives.wasserstein());
    }
}
