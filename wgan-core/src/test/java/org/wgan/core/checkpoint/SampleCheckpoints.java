package org.wgan.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A small checkpoint built from ND4J arrays alone (no DL4J), and an exact comparison of two checkpoints. */
final class SampleCheckpoints {

    private SampleCheckpoints() {
    }

    /** FLOAT and DOUBLE arrays of ranks 1 to 3, an empty optimizer state, two participants' arrays, metadata. */
    static Checkpoint sample() {
        Random values = new Random(1);
        Random trainerRandom = new Random(42);
        trainerRandom.nextGaussian(); // a pending second Gaussian is part of the state
        NetworkSnapshot generator = new NetworkSnapshot(floats(values, 12), floats(values, 2, 12), 3);
        NetworkSnapshot critic = new NetworkSnapshot(doubles(values, 3, 4), Nd4j.empty(DataType.FLOAT), 9);
        Map<String, INDArray> arrays = Map.of("fixedNoise", floats(values, 2, 3, 2), "ema.updates",
                Nd4j.createFromArray(new double[] {3}));
        Map<String, String> metadata = Map.of("settings", "seed 7, batch 8", "written", "2026-12-01T00:00:00Z");
        return new Checkpoint(3, 9, Checkpoint.serialize(trainerRandom), generator, critic, arrays, metadata);
    }

    private static INDArray floats(Random random, long... shape) {
        INDArray array = Nd4j.create(DataType.FLOAT, shape);
        for (long i = 0; i < array.length(); i++) {
            array.putScalar(i, (float) random.nextGaussian());
        }
        return array;
    }

    private static INDArray doubles(Random random, long... shape) {
        INDArray array = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < array.length(); i++) {
            array.putScalar(i, random.nextGaussian());
        }
        return array;
    }

    /** True when both hold the same counters, random state, metadata and arrays, element for element, bit for bit. */
    static boolean sameNumbers(Checkpoint a, Checkpoint b) {
        return a.generatorStep() == b.generatorStep() && a.criticUpdates() == b.criticUpdates()
                && Arrays.equals(a.randomState(), b.randomState()) && same(a.generator(), b.generator())
                && same(a.critic(), b.critic()) && a.metadata().equals(b.metadata())
                && a.arrays().keySet().equals(b.arrays().keySet())
                && a.arrays().keySet().stream().allMatch(name -> same(a.arrays().get(name), b.arrays().get(name)));
    }

    static void assertSameNumbers(Checkpoint actual, Checkpoint expected) {
        assertThat(sameNumbers(actual, expected)).as("%s holds the numbers of %s", actual, expected).isTrue();
    }

    private static boolean same(NetworkSnapshot a, NetworkSnapshot b) {
        return a.updateCount() == b.updateCount() && same(a.parameters(), b.parameters())
                && same(a.optimizerState(), b.optimizerState());
    }

    /** Data type, shape and every element's bits (INDArray.equals allows a tolerance). */
    private static boolean same(INDArray a, INDArray b) {
        if (a.dataType() != b.dataType() || a.isEmpty() != b.isEmpty()) {
            return false;
        }
        if (a.isEmpty()) {
            return true;
        }
        if (!Arrays.equals(a.shape(), b.shape())) {
            return false;
        }
        INDArray flatA = a.dup('c').reshape(a.length());
        INDArray flatB = b.dup('c').reshape(b.length());
        return a.dataType() == DataType.FLOAT ? Arrays.equals(flatA.toFloatVector(), flatB.toFloatVector())
                : Arrays.equals(flatA.toDoubleVector(), flatB.toDoubleVector());
    }
}
