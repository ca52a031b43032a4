package org.wgan.core.checkpoint;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * State kept beside the trainer that a checkpoint must hold too: a generator's moving average
 * ({@code org.wgan.dl4j.GeneratorEma}), the fixed noise an example draws its sample grids from. Register it
 * with the trainer builder's {@code checkpointParticipant(...)}.
 */
public interface CheckpointParticipant {

    /**
     * The arrays to save, by names unique among the trainer's participants (the checkpoint copies them).
     * Scalars can be saved as arrays of one element.
     */
    Map<String, INDArray> checkpointArrays();

    /**
     * Restores from the arrays of a checkpoint: the same names {@link #checkpointArrays()} gives.
     *
     * @throws IllegalArgumentException if an array is missing or does not fit
     */
    void restoreCheckpointArrays(Map<String, INDArray> arrays);

    /**
     * A participant holding one fixed array (e.g. evaluation noise drawn once): saved as it is, and restored by
     * overwriting it in place, so what samples it keep using the restored values.
     *
     * @throws IllegalArgumentException if name is blank
     */
    static CheckpointParticipant fixedArray(String name, INDArray array) {
        java.util.Objects.requireNonNull(array, "array");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
        }
        return new CheckpointParticipant() {
            @Override
            public Map<String, INDArray> checkpointArrays() {
                return Map.of(name, array);
            }

            @Override
            public void restoreCheckpointArrays(Map<String, INDArray> arrays) {
                INDArray saved = arrays.get(name);
                if (saved == null) {
                    throw new IllegalArgumentException("checkpoint holds no array '" + name + "'");
                }
                SavedArrays.copy(saved, array, "'" + name + "'");
            }

            @Override
            public String toString() {
                return "fixedArray[" + name + ", " + java.util.Arrays.toString(array.shape()) + "]";
            }
        };
    }
}
