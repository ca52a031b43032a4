package org.wgan.core.checkpoint;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Checked copies of saved arrays into live ones. */
final class SavedArrays {

    private SavedArrays() {
    }

    /**
     * Copies {@code saved} into {@code live} element by element (in the live array's order).
     *
     * @throws IllegalArgumentException naming {@code what} if the lengths or data types differ
     */
    static void copy(INDArray saved, INDArray live, String what) {
        long savedLength = saved.isEmpty() ? 0 : saved.length();
        long liveLength = live.isEmpty() ? 0 : live.length();
        if (savedLength != liveLength) {
            throw new IllegalArgumentException("checkpoint holds " + what + " of length " + savedLength
                    + ", but the live one has length " + liveLength + ": not the same architecture");
        }
        if (saved.dataType() != live.dataType()) {
            throw new IllegalArgumentException("checkpoint holds " + what + " as " + saved.dataType()
                    + ", but the live one is " + live.dataType());
        }
        if (liveLength > 0) {
            live.assign(saved.reshape(live.shape()));
        }
    }
}
