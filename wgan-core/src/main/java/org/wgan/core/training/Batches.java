package org.wgan.core.training;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.data.SampleSource;

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

    /**
     * {@code real}, the array {@code source.next(batchSize, random)} returned, when it is what
     * {@link SampleSource#next} promises: a batch {@code [batchSize, ...]} with a batch axis.
     *
     * @throws IllegalStateException naming the source (its {@code toString()}) and what it returned: null, no rows,
     *                               a rank below 2 or another number of rows
     */
    static INDArray checkReal(INDArray real, SampleSource source, int batchSize) {
        String call = "real sample source " + source + " returned ";
        String promise = " from next(" + batchSize + ", random); it must return a batch [" + batchSize + ", ...]";
        if (real == null) {
            throw new IllegalStateException(call + "null" + promise);
        }
        String shape = Arrays.toString(real.shape());
        if (real.isEmpty() || (real.rank() > 0 && real.size(0) == 0)) {
            throw new IllegalStateException(call + "0 rows (shape " + shape + ")" + promise);
        }
        if (real.rank() < 2) {
            throw new IllegalStateException(call + "a rank-" + real.rank() + " array " + shape + promise
                    + " with a batch axis; reshape 1-D data to [batch, 1]");
        }
        if (real.size(0) != batchSize) {
            throw new IllegalStateException(call + real.size(0) + " rows (shape " + shape + ")" + promise);
        }
        return real;
    }

    /** {@code array} in the network's data type (the same array when it already is). */
    static INDArray castTo(INDArray array, TrainableNetwork network) {
        return array.dataType() == network.dataType() ? array : array.castTo(network.dataType());
    }

    /** Rows {@code [from, to)} of a matrix, as a view. */
    static INDArray rows(INDArray array, long from, long to) {
        return array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /**
     * The rows of {@code top} above those of {@code bottom}: the array {@code Nd4j.concat(0, top, bottom)} returns,
     * new, c-ordered. Two row-major, contiguous float or double arrays of one type and the same shape past the batch
     * axis are copied in bulk on the calling thread, not through libnd4j's concat op: that op wakes libnd4j's
     * OpenMP threads for a copy of a few hundred bytes (the toy critic's batch), and on two cores they then compete
     * with OpenBLAS's threads, spinning after the step's products (issue #17). Anything else goes to
     * {@code Nd4j.concat}.
     */
    static INDArray stackRows(INDArray top, INDArray bottom) {
        DataType type = top.dataType();
        long[] topShape = top.shape();
        long[] bottomShape = bottom.shape();
        if ((type != DataType.FLOAT && type != DataType.DOUBLE) || bottom.dataType() != type
                || topShape.length < 1 || topShape.length != bottomShape.length
                || !Arrays.equals(topShape, 1, topShape.length, bottomShape, 1, bottomShape.length)
                || !bulk(top) || !bulk(bottom) || (top.length() + bottom.length()) * type.width() > Integer.MAX_VALUE) {
            return Nd4j.concat(0, top, bottom);
        }
        long[] shape = topShape.clone();
        shape[0] += bottomShape[0];
        INDArray stacked = Nd4j.createUninitialized(type, shape, 'c');
        ByteBuffer target = stacked.data().asNio();
        int width = type.width();
        target.position((int) stacked.offset() * width);
        for (INDArray part : new INDArray[] {top, bottom}) {
            ByteBuffer source = part.data().asNio();
            int from = (int) part.offset() * width;
            source.limit(from + (int) part.length() * width).position(from);
            target.put(source);
        }
        return stacked;
    }

    /** True when {@code array}'s elements lie in row-major order, one after another, in an int-addressable buffer. */
    private static boolean bulk(INDArray array) {
        return !array.isEmpty() && (array.length() == 1 || array.elementWiseStride() == 1)
                && (array.ordering() == 'c' || array.isVectorOrScalar())
                && (array.offset() + array.length()) * array.dataType().width() <= Integer.MAX_VALUE;
    }
}
