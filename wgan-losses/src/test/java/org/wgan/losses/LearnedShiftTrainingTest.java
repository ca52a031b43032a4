package org.wgan.losses;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.objective.Objective;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.TestNetworks;

/**
 * End to end: the generator is a learned shift {@code x = z + theta} (identity weights frozen, only the bias
 * theta trained) and the real data is N(target, 0.1^2 I). Trained with the Wasserstein objective and a
 * weight-clipped critic, theta must travel to the target, since W1 between the two is |theta - target| for
 * equal spreads... here the spreads differ, so W1 >= |theta - target| and falls with it.
 */
class LearnedShiftTrainingTest {

    private static final double[] TARGET = {2.0, -1.0};

    private static MultiLayerGenerator shiftGenerator() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(2).activation(Activation.IDENTITY)
                        .updater(new NoOp()).biasUpdater(new RmsProp(1e-2)).build())
                .build());
        network.init();
        network.getLayer(0).setParam("W", Nd4j.eye(2).castTo(DataType.FLOAT));
        network.getLayer(0).setParam("b", Nd4j.zeros(DataType.FLOAT, 1, 2));
        return MultiLayerGenerator.of(network);
    }

    private static List<double[]> train(Objective objective) {
        MultiLayerGenerator generator = shiftGenerator();
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(4, DataType.FLOAT, Optimizers.rmsProp(1e-3), Activation.RELU, 2, 32, 32, 1));
        List<double[]> thetas = new ArrayList<>();
        TrainerListener recorder = new TrainerListener() {
            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                thetas.add(theta(generator));
            }
        };
        thetas.add(theta(generator));
        WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(objective)
                .constraint(LipschitzConstraints.weightClipping(0.05))
                .realSamples(new GaussianMixture("target", new double[][] {TARGET}, 0.1))
                .batchSize(64)
                .seed(5)
                .maxGeneratorSteps(250)
                .listener(recorder)
                .build()
                .fit();
        return thetas;
    }

    private static double[] theta(MultiLayerGenerator generator) {
        INDArray bias = generator.network().getLayer(0).getParam("b");
        return new double[] {bias.getDouble(0), bias.getDouble(1)};
    }

    private static double distanceToTarget(double[] theta) {
        return Math.hypot(theta[0] - TARGET[0], theta[1] - TARGET[1]);
    }

    @Test
    void wassersteinTrainingMovesTheShiftToTheData() {
        List<double[]> thetas = train(Objectives.wasserstein());

        double start = distanceToTarget(thetas.get(0));
        double end = distanceToTarget(thetas.get(thetas.size() - 1));
        assertThat(start).isEqualTo(Math.hypot(2, 1), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(end).as("distance of theta to the data after 250 generator steps").isLessThan(0.25);
        // it heads the right way from the start: after 50 steps theta is already much closer
        assertThat(distanceToTarget(thetas.get(50))).isLessThan(start - 0.3);
    }

    @Test
    void aGeneratorWithTheSignFlippedMovesAwayFromTheData() {
        // guards the test above: the same run with L_G = +mean f(x~) must fail to approach the data
        Objective wasserstein = Objectives.wasserstein();
        Objective flipped = new Objective() {
            @Override
            public org.wgan.core.objective.CriticLoss criticLoss(INDArray realScores, INDArray fakeScores) {
                return wasserstein.criticLoss(realScores, fakeScores);
            }

            @Override
            public org.wgan.core.objective.GeneratorLoss generatorLoss(INDArray fakeScores) {
                org.wgan.core.objective.GeneratorLoss loss = wasserstein.generatorLoss(fakeScores);
                return new org.wgan.core.objective.GeneratorLoss(-loss.value(), loss.fakeGradient().neg());
            }

            @Override
            public boolean requiresLipschitzConstraint() {
                return true;
            }

            @Override
            public String name() {
                return "flipped";
            }
        };

        List<double[]> thetas = train(flipped);

        assertThat(distanceToTarget(thetas.get(thetas.size() - 1))).isGreaterThan(distanceToTarget(thetas.get(0)));
    }
}
