package org.wgan.core.training;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.TrainableNetwork;

/** The array plumbing between the data, the networks and the objective: casts, shapes and row ranges. */
final class Batches {

    private Batches() {
    }

    /**
     * {@code fake} in the shape of {@code real} (a generator's flat output for an image critic, say).
     *
     * @throws IllegalStateException naming both shapes when their sizes differ
     */
    static INDArray matchShape(INDArray fake, INDArray real) {
        if (Arrays.equals(fake.shape(), real.shape())) {
            return fake;
        }
        if (fake.length() != real.length()) {
            throw new IllegalStateException("generated samples " + Arrays.toString(fake.shape())
                    + " do not match real samples " + Arrays.toString(real.shape()));
        }
        return fake.reshape(real.shape());
    }

    /** {@code array} in the network's data type (the same array when it already is). */
    static INDArray castTo(INDArray array, TrainableNetwork network) {
        return array.dataType() == network.dataType() ? array : array.castTo(network.dataType());
    }

    /** Rows {@code [from, to)} of a matrix, as a view. */
    static INDArray rows(INDArray array, long from, long to) {
        return array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
}
